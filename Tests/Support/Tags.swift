import Testing

extension Tag {
  /// Tests of behaviour that protects the patient (limits, faults, safe states).
  @Tag public static var safety: Self
  /// Tests that check the simulated physics against closed forms and balances.
  @Tag public static var physics: Self
  /// Tests of device I/O (serial ports and ptys, TCP streams, sysfs) against real kernel objects.
  @Tag public static var io: Self
}
