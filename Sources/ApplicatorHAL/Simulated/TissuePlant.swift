/// The most nodes a plant column holds (heatsink, plate and tissue cells).
public let maximumPlantNodes = 32

/// A where in the applicator a probe sits.
public enum ProbeLocation: Sendable, Equatable {
  /// On the applicator plate.
  case plate
  /// On the TEC's hot side (heatsink).
  case hotSide
  /// In tissue, this many metres below the skin surface (0 is the skin surface).
  case depth(metres: Double)
}

/// The simulated applicator on tissue, first version: a coarse 1-D column of
/// lumped nodes (heatsink, plate, skin, fat, muscle, 37 °C core below), good
/// enough that holding the window is a real control problem.
///
/// Each node obeys C·dT/dt = Σ G·(T_neighbour − T) + perfusion + sources,
/// stepped by backward Euler (L-stable, no ringing at any step) with a
/// tridiagonal (Thomas) solve. The Peltier terms S·I·T are linear in the
/// node temperature, so they are implicit too; Joule heat is split half to
/// each side. Fixed capacity: a step allocates nothing.
public struct TissuePlant: Sendable {
  /// Node 0: TEC hot side / heatsink.
  public static let hotSideNode = 0
  /// Node 1: the applicator plate.
  public static let plateNode = 1
  /// The first tissue node (top skin cell).
  public static let firstTissueNode = 2

  private let configuration: PlantConfiguration
  /// Number of nodes in use.
  public let nodeCount: Int
  /// Node temperatures, °C.
  public private(set) var celsius: InlineArray<32, Double>
  private var capacity: InlineArray<32, Double>  // J/K
  private var conductanceBelow: InlineArray<32, Double>  // W/K to node i+1 (last: to core)
  private var perfusionConductance: InlineArray<32, Double>  // W/K to arterial blood
  private var laserShare: InlineArray<32, Double>  // fraction of the absorbed power per node
  private var centreDepth: InlineArray<32, Double>  // m below the skin surface (tissue nodes)
  private var scratchUpper: InlineArray<32, Double>
  private var scratchRight: InlineArray<32, Double>
  /// Largest internal step, s; a longer call substeps.
  public let maximumStepSeconds: Double

  /// Builds the column for a configuration.
  public init(configuration: PlantConfiguration, maximumStepSeconds: Double = 0.1) {
    self.configuration = configuration
    self.maximumStepSeconds = maximumStepSeconds
    let zeros = InlineArray<32, Double>(repeating: 0)
    celsius = zeros
    capacity = zeros
    conductanceBelow = zeros
    perfusionConductance = zeros
    laserShare = zeros
    centreDepth = zeros
    scratchUpper = zeros
    scratchRight = zeros

    let area = configuration.areaSquareMetres
    let bloodCapacity = TissueProperties.blood.volumetricHeatCapacity
    let layers: [(TissueProperties, Double, Int)] = [
      (configuration.skin, configuration.skinThicknessMetres, 4),
      (configuration.fat, configuration.fatThicknessMetres, 12),
      (configuration.muscle, configuration.muscleThicknessMetres, 6),
    ]
    var node = TissuePlant.firstTissueNode
    var depth = 0.0
    var transmitted = 1.0
    var previousHalfResistance = 1 / (configuration.contactConductanceWattsPerSquareMetreKelvin)
    let totalDepth =
      configuration.skinThicknessMetres + configuration.fatThicknessMetres
      + configuration.muscleThicknessMetres
    for (tissue, thickness, cells) in layers {
      let dz = thickness / Double(cells)
      for _ in 0..<cells {
        let k = tissue.conductivityWattsPerMetreKelvin
        capacity[node] = tissue.volumetricHeatCapacity * dz * area
        perfusionConductance[node] =
          tissue.perfusionPerSecond * configuration.perfusionScale * bloodCapacity * dz * area
        conductanceBelow[node - 1] = area / (previousHalfResistance + dz / (2 * k))
        previousHalfResistance = dz / (2 * k)
        let leaving = transmitted * Elementary.exp(-tissue.attenuationPerMetre * dz)
        laserShare[node] = transmitted - leaving
        transmitted = leaving
        centreDepth[node] = depth + dz / 2
        let fraction = (depth + dz / 2) / totalDepth
        celsius[node] =
          configuration.initialSkinCelsius + fraction
          * (configuration.coreCelsius - configuration.initialSkinCelsius)
        depth += dz
        node += 1
      }
    }
    nodeCount = node
    conductanceBelow[node - 1] = area / previousHalfResistance  // last cell to the core
    capacity[TissuePlant.plateNode] = configuration.plateHeatCapacityJoulesPerKelvin
    celsius[TissuePlant.plateNode] = configuration.initialPlateCelsius
    switch configuration.drive {
    case .thermoelectric(let tec):
      capacity[TissuePlant.hotSideNode] = tec.heatsinkCapacityJoulesPerKelvin
      celsius[TissuePlant.hotSideNode] = tec.coolantCelsius
      conductanceBelow[TissuePlant.hotSideNode] = tec.conductanceWattsPerKelvin
    case .laserWithContactCooling(let laser):
      capacity[TissuePlant.hotSideNode] = 1
      celsius[TissuePlant.hotSideNode] = laser.coolingPlateCelsius
      celsius[TissuePlant.plateNode] = laser.coolingPlateCelsius
    }
  }

  /// The plate temperature, °C.
  public var plateCelsius: Double { celsius[TissuePlant.plateNode] }
  /// The TEC hot-side temperature, °C.
  public var hotSideCelsius: Double { celsius[TissuePlant.hotSideNode] }

  /// The temperature at a probe location, °C; in tissue, interpolated
  /// linearly between cell centres (the plate above, the core below).
  public func temperature(at location: ProbeLocation) -> Double {
    switch location {
    case .plate: return plateCelsius
    case .hotSide: return hotSideCelsius
    case .depth(let metres):
      let first = TissuePlant.firstTissueNode
      if metres <= centreDepth[first] {
        let t = max(metres, 0) / centreDepth[first]
        return celsius[first] * t + surfaceCelsius * (1 - t)
      }
      var node = first
      while node + 1 < nodeCount {
        if metres <= centreDepth[node + 1] {
          let t = (metres - centreDepth[node]) / (centreDepth[node + 1] - centreDepth[node])
          return celsius[node] + t * (celsius[node + 1] - celsius[node])
        }
        node += 1
      }
      // Below the last cell centre: on to the core at the bottom of the column.
      let last = nodeCount - 1
      let bottom =
        configuration.skinThicknessMetres + configuration.fatThicknessMetres
        + configuration.muscleThicknessMetres
      guard metres < bottom else { return configuration.coreCelsius }
      let t = (metres - centreDepth[last]) / (bottom - centreDepth[last])
      return celsius[last] + t * (configuration.coreCelsius - celsius[last])
    }
  }

  /// The skin surface temperature under the contact layer, °C: the point
  /// between plate and top cell where the contact and half-cell resistances meet.
  public var surfaceCelsius: Double {
    let first = TissuePlant.firstTissueNode
    let contact = configuration.contactConductanceWattsPerSquareMetreKelvin
    let halfCell = configuration.skin.conductivityWattsPerMetreKelvin / centreDepth[first]
    return (contact * plateCelsius + halfCell * celsius[first]) / (contact + halfCell)
  }

  /// Advances the column by `seconds`.
  ///
  /// - Parameters:
  ///   - tecCurrentAmperes: current through the Peltier module; positive
  ///     pumps heat out of the plate (cools it), negative heats it.
  ///   - laserFraction: emitted power as a fraction of the maximum, 0 … 1.
  public mutating func step(seconds: Double, tecCurrentAmperes: Double, laserFraction: Double) {
    guard seconds > 0 else { return }
    let count = max(1, Int(min(Elementary.roundedUp(seconds / maximumStepSeconds), 1e9)))
    let dt = seconds / Double(count)
    for _ in 0..<count {
      substep(dt: dt, current: tecCurrentAmperes, laser: laserFraction)
    }
  }

  private mutating func substep(dt: Double, current: Double, laser: Double) {
    // Assemble lower (a), diagonal (b), upper (c) and right side (d) of
    // (C/dt + ΣG + P)·T' − Σ G·T'_neighbour = C/dt·T + P·T_a + Q.
    let kelvinOffset = 273.15
    var absorbedWatts = 0.0
    var heldPlate: Double? = nil
    var peltierPlate = 0.0
    var peltierHot = 0.0
    var joule = 0.0
    var coolant = 0.0
    var heatsinkConductance = 0.0
    switch configuration.drive {
    case .thermoelectric(let tec):
      peltierPlate = tec.seebeckVoltsPerKelvin * current
      peltierHot = -peltierPlate
      joule = 0.5 * current * current * tec.resistanceOhms
      coolant = tec.coolantCelsius
      heatsinkConductance = 1 / tec.heatsinkResistanceKelvinPerWatt
    case .laserWithContactCooling(let source):
      absorbedWatts =
        min(max(laser, 0), 1) * source.maximumIrradianceWattsPerSquareMetre
        * source.absorbedFraction * configuration.areaSquareMetres
      heldPlate = source.coolingPlateCelsius
    }
    let arterial = configuration.arterialCelsius
    var previousUpper = 0.0
    var previousRight = 0.0
    for i in 0..<nodeCount {
      let above = i > 0 ? conductanceBelow[i - 1] : 0
      let below = conductanceBelow[i]
      let store = capacity[i] / dt
      var diagonal = store + above + below + perfusionConductance[i]
      var right = store * celsius[i] + perfusionConductance[i] * arterial
      var upper = i + 1 < nodeCount ? -below : 0
      let lower = i > 0 ? -above : 0
      if i == nodeCount - 1 { right += below * configuration.coreCelsius }
      right += absorbedWatts * laserShare[i]
      if i == TissuePlant.plateNode {
        // Peltier: the plate loses S·I·T (T in kelvin), gains half the Joule heat.
        diagonal += peltierPlate
        right += -peltierPlate * kelvinOffset + joule
        diagonal += configuration.plateAmbientConductanceWattsPerKelvin
        right += configuration.plateAmbientConductanceWattsPerKelvin * configuration.ambientCelsius
      }
      if i == TissuePlant.hotSideNode {
        diagonal += peltierHot + heatsinkConductance
        right += -peltierHot * kelvinOffset + joule + heatsinkConductance * coolant
      }
      if let held = heldPlate, i <= TissuePlant.plateNode {
        diagonal = 1
        right = held
        upper = 0
      }
      let effectiveLower = (heldPlate != nil && i <= TissuePlant.plateNode) ? 0 : lower
      // Forward sweep of the Thomas algorithm.
      let denominator = diagonal - effectiveLower * previousUpper
      previousUpper = upper / denominator
      previousRight = (right - effectiveLower * previousRight) / denominator
      scratchUpper[i] = previousUpper
      scratchRight[i] = previousRight
    }
    var next = scratchRight[nodeCount - 1]
    celsius[nodeCount - 1] = next
    var i = nodeCount - 2
    while i >= 0 {
      next = scratchRight[i] - scratchUpper[i] * next
      celsius[i] = next
      i -= 1
    }
  }
}
