/// The state of an applicator's interlocks in one tick.
///
/// A backend that cannot read an interlock reports it open: an unknown
/// interlock is not a made one. A read that failed as a whole is
/// ``unreadable(_:)``: every interlock open, with the fault that kept it
/// from being read, so a trip report names the cause. An operator's key
/// switch that is off opens every interlock too, and says so.
public struct Interlocks: Sendable, Equatable {
  /// Skin contact (or vacuum in a cup applicator) is made.
  public var contactMade: Bool
  /// Coolant is flowing (the TEC's heatsink loop, or a laser's contact-cooling plate).
  public var coolantFlowing: Bool
  /// The operator's key switch is on (`true` where there is none).
  public var keySwitchOn: Bool
  /// Why the interlocks could not be read this tick (`nil`: they were read).
  public var readFault: FaultKind?

  /// Creates a state read without a fault.
  public init(contactMade: Bool, coolantFlowing: Bool, keySwitchOn: Bool = true) {
    self.contactMade = contactMade
    self.coolantFlowing = coolantFlowing
    self.keySwitchOn = keySwitchOn
    self.readFault = nil
  }

  /// Every interlock made.
  public static let allMade = Interlocks(contactMade: true, coolantFlowing: true)
  /// Every interlock open (a read that found them open).
  public static let allOpen = Interlocks(contactMade: false, coolantFlowing: false)
  /// The key switch off: every interlock counts as open.
  public static let keySwitchOff = Interlocks(
    contactMade: false, coolantFlowing: false, keySwitchOn: false)

  /// A read that failed with `fault`: every interlock counts as open.
  public static func unreadable(_ fault: FaultKind) -> Interlocks {
    var state = Interlocks.allOpen
    state.readFault = fault
    return state
  }
}
