#if canImport(Glibc)
  import ApplicatorHAL

  /// What a MeCom instrument says about itself: read only, nothing driven.
  public struct MeComIdentity: Equatable, Sendable {
    /// ``MeComParameter/deviceType``.
    public var deviceType: Int32
    /// ``MeComParameter/firmwareVersion``.
    public var firmwareVersion: Int32
    /// ``MeComParameter/serialNumber``.
    public var serialNumber: Int32

    /// Reads the three identity parameters; a failed read is a ``MeComConnectError/noAnswer(_:)``
    /// naming the parameter and the fault.
    public static func read(_ link: MeComLink) throws(MeComConnectError) -> MeComIdentity {
      func value(_ parameter: UInt16, _ name: String) throws(MeComConnectError) -> Int32 {
        do throws(FaultKind) {
          return try link.readInt(parameter)
        } catch {
          throw .noAnswer(
            "no answer to the read of \(name) (\(parameter)): \(error.name)"
              + (link.lastError.map { ", \($0)" } ?? ""))
        }
      }
      return MeComIdentity(
        deviceType: try value(MeComParameter.deviceType, "the device type"),
        firmwareVersion: try value(MeComParameter.firmwareVersion, "the firmware version"),
        serialNumber: try value(MeComParameter.serialNumber, "the serial number"))
    }

    /// `device type 1091, firmware 500, serial 12345`.
    public var description: String {
      "device type \(deviceType), firmware \(firmwareVersion), serial \(serialNumber)"
    }
  }
#endif
