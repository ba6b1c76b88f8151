/// One temperature an instrument measures: a read-only parameter and its instance (the
/// channel of a two-channel TEC-1092, else 1).
public struct MeComChannel: Equatable, Sendable {
  /// The parameter (``MeComParameter/objectTemperature`` or ``MeComParameter/sinkTemperature``).
  public var parameterID: UInt16
  /// The instance, 1 …
  public var instance: UInt8

  /// The channel of `parameterID` at `instance`.
  public init(parameterID: UInt16, instance: UInt8) {
    self.parameterID = parameterID
    self.instance = instance
  }

  /// `object-temperature` or `sink-temperature`, with the ID and instance.
  public var description: String {
    let name =
      switch parameterID {
      case MeComParameter.objectTemperature: "object temperature"
      case MeComParameter.sinkTemperature: "sink temperature"
      default: "parameter"
      }
    return "\(name) (\(parameterID) instance \(instance))"
  }
}
