/// The MeCom parameter IDs of the TEC family (TEC-1091/1092/1122) devsim reads and writes,
/// as the vendor's parameter table numbers them (the LDD laser drivers have tables of their
/// own). Values: `int` for enables, selections and numbers, `float` for °C, A, V and s.
public enum MeComParameter {
  /// Device type (int, read-only): 1091, 1092, 1122 …
  public static let deviceType: UInt16 = 100
  /// Serial number (int, read-only).
  public static let serialNumber: UInt16 = 102
  /// Firmware version (int, read-only).
  public static let firmwareVersion: UInt16 = 103
  /// Device status (int, read-only): 0 init, 1 ready, 2 run, 3 error, 4 bootloader, 5 reset.
  public static let deviceStatus: UInt16 = 104
  /// Error number (int, read-only): the instrument's own reason for its error state.
  public static let errorNumber: UInt16 = 105
  /// Parameter system flash save off (int): 1 keeps written parameters in RAM only.
  public static let flashSaveOff: UInt16 = 108
  /// Object temperature (float °C, read-only): the plate's sensor on the instrument.
  public static let objectTemperature: UInt16 = 1000
  /// Sink temperature (float °C, read-only): the heat sink's sensor.
  public static let sinkTemperature: UInt16 = 1001
  /// Actual output current (float A, read-only), signed.
  public static let actualCurrent: UInt16 = 1020
  /// Actual output voltage (float V, read-only).
  public static let actualVoltage: UInt16 = 1021
  /// Output stage input selection (int): where the output's current comes from.
  public static let inputSelection: UInt16 = 2000
  /// Output stage enable (int): 0 static off, 1 static on, 2 live (by ``liveEnable``).
  public static let outputStageEnable: UInt16 = 2010
  /// Current limitation (float A): the instrument never drives more.
  public static let currentLimit: UInt16 = 2030
  /// Communication watchdog timeout (float s; 0 off): with no frame for this long the
  /// instrument enters its error state, output off.
  public static let communicationWatchdog: UInt16 = 2060
  /// Object temperature lower error threshold (float °C): below it the instrument enters
  /// its error state, output off.
  public static let objectLowerErrorThreshold: UInt16 = 4010
  /// Object temperature upper error threshold (float °C).
  public static let objectUpperErrorThreshold: UInt16 = 4011
  /// Live enable (int, RAM only): with ``outputStageEnable`` 2, 1 turns the output on.
  public static let liveEnable: UInt16 = 50000
  /// Live current (float A, RAM only): the current with input selection live.
  public static let liveCurrent: UInt16 = 50001

  /// ``inputSelection``'s value for live current/voltage (``liveCurrent``).
  public static let inputSelectionLiveCurrent: Int32 = 1
  /// ``outputStageEnable``'s value for "static off".
  public static let outputStageOff: Int32 = 0
  /// ``outputStageEnable``'s value for "on and off by ``liveEnable``".
  public static let outputStageLive: Int32 = 2
  /// ``deviceStatus``'s value for the error state (output off until reset).
  public static let statusError: Int32 = 3
  /// ``deviceStatus``'s value for ready (output off, parameters as written).
  public static let statusReady: Int32 = 1
  /// ``deviceStatus``'s value for run (output stage driving).
  public static let statusRun: Int32 = 2

  /// Whether `status` is one a host may drive the instrument in: ready or run. Every other
  /// value is untrusted: error (3), init (0), bootloader (4), reset (5) — after a reset the
  /// RAM-only limits and watchdog written at connect are gone — and any value not listed.
  public static func isHealthy(status: Int32) -> Bool {
    status == statusReady || status == statusRun
  }
}
