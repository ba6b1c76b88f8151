/// The state of an applicator's interlocks in one tick.
///
/// A backend that cannot read an interlock reports it open: an unknown
/// interlock is not a made one.
public struct Interlocks: Sendable, Equatable {
  /// Skin contact (or vacuum in a cup applicator) is made.
  public var contactMade: Bool
  /// Coolant is flowing (the TEC's heatsink loop, or a laser's contact-cooling plate).
  public var coolantFlowing: Bool

  /// Creates a state.
  public init(contactMade: Bool, coolantFlowing: Bool) {
    self.contactMade = contactMade
    self.coolantFlowing = coolantFlowing
  }

  /// Every interlock made.
  public static let allMade = Interlocks(contactMade: true, coolantFlowing: true)
  /// Every interlock open (what a failed read counts as).
  public static let allOpen = Interlocks(contactMade: false, coolantFlowing: false)
}
