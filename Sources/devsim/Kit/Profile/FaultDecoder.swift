import ApplicatorSimulation

/// Decodes a profile's `faults` array: what breaks (a sensor, the power
/// stage, the plant), how, and when (a time, or a condition on a sensor's
/// true temperature plus a delay).
package enum FaultDecoder {
  // The kinds' names come from the one table (``FaultKinds``).
  package static let sensorKinds = FaultKinds.sensorKinds
  package static let stageKinds = FaultKinds.stageKinds
  package static let plantKinds = FaultKinds.plantKinds

  package static func decode(
    _ reader: JSONReader?, sensors: [ProfileSensor], plant: PlantConfiguration
  ) throws -> [ProfileFault] {
    guard let reader else { return [] }
    let elements = try reader.array()
    guard elements.count <= maximumScheduledFaults else {
      throw reader.fail("at most \(maximumScheduledFaults) faults, found \(elements.count)")
    }
    return try elements.map { element in
      let object = try element.object()
      let trigger = try decodeTrigger(object, element, sensors: sensors)
      let value = try object.optional("value")?.number(in: -1e4...1e4)
      let durationReader = object.optional("for")
      let duration = try durationReader?.duration()
      let sensorReader = object.optional("sensor")
      let stageReader = object.optional("stage")
      let plantReader = object.optional("plant")
      let kindReader = try object.required("kind")
      let kindName = try kindReader.string()
      let target: FaultTarget
      let label: String
      switch (sensorReader, stageReader, plantReader) {
      case (let sensorReader?, nil, nil):
        let name = try sensorReader.string()
        guard let index = sensors.firstIndex(where: { $0.name == name }) else {
          throw sensorReader.fail("no sensor named \"\(name)\"")
        }
        target = .sensor(index: index, try kindReader.choice(sensorKinds))
        label = "\(kindName) on sensor \(name)"
      case (nil, let stageReader?, nil):
        guard try stageReader.bool() else {
          throw stageReader.fail("use \"stage\": true for a power-stage fault")
        }
        target = .stage(try kindReader.choice(stageKinds))
        label = "\(kindName) on the power stage"
      case (nil, nil, let plantReader?):
        guard try plantReader.bool() else {
          throw plantReader.fail("use \"plant\": true for a fault of the plant")
        }
        let kind = try kindReader.choice(plantKinds)
        if kind == .freezeEvent && plant.freezing == nil {
          throw kindReader.fail("a freeze event needs \"plant.freezing\"")
        }
        target = .plant(kind)
        label = "\(kindName) in the plant"
      default:
        throw element.fail("a fault names one of \"sensor\", \"stage\" or \"plant\"")
      }
      if let durationReader, sensorReader == nil {
        throw durationReader.fail("only a sensor fault can end (\"for\")")
      }
      try object.finish()
      return ProfileFault(
        label: label + (duration.map { " for \(Summary.seconds($0))" } ?? ""),
        fault: ScheduledFault(
          trigger: trigger, target: target, value: value, durationNanoseconds: duration))
    }
  }

  private static func decodeTrigger(
    _ object: ObjectReader, _ element: JSONReader, sensors: [ProfileSensor]
  ) throws -> FaultTrigger {
    switch (object.optional("at"), object.optional("when")) {
    case (let at?, nil):
      return .at(nanoseconds: try at.duration())
    case (nil, let when?):
      let fields = try when.object()
      let sensorReader = try fields.required("sensor")
      let name = try sensorReader.string()
      guard let index = sensors.firstIndex(where: { $0.name == name }) else {
        throw sensorReader.fail("no sensor named \"\(name)\"")
      }
      let celsius = try fields.required("reaches").number(in: -100...200)
      let falling = try fields.required("direction").choice([("falling", true), ("rising", false)])
      let delay = try fields.optional("after")?.duration() ?? 0
      try fields.finish()
      return .whenSensor(
        index: index, reachesCelsius: celsius, falling: falling, delayNanoseconds: delay)
    default:
      throw element.fail("a fault has either \"at\" (a time) or \"when\" (a condition)")
    }
  }
}
