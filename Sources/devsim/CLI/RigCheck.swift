import ApplicatorHAL
import ApplicatorLinux
import DevsimKit
import ThermalLoop

/// `devsim rig check`: identifies a rig file's instrument and reads every channel once,
/// writing nothing.
enum RigCheck {
  /// Checks `rig` and prints one line per item; returns 74 when the instrument cannot be
  /// reached, 65 when it is another device type, 1 when a reading failed or is implausible
  /// or the device status is neither ready (1) nor run (2).
  static func run(_ rig: RigFile, console: Console) throws -> ExitCode {
    guard case .mecom(let settings) = rig.instrument else { return .dataError }
    var report = "rig \(rig.name) (\(rig.file)): \(rig.instrument.protocolName) on \(rig.port)"
    report += rig.port.hasPrefix("tcp://") ? "\n" : " at \(rig.baud) baud\n"
    let link = MeComLink(
      stream: try MeComRun.open(rig), address: settings.address,
      replyTimeoutNanoseconds: MeComLink.connectReplyTimeoutNanoseconds)
    defer { link.close() }
    let identity: MeComIdentity
    do throws(MeComConnectError) {
      identity = try MeComIdentity.read(link)
    } catch {
      console.write(report + "result FAIL (no answer)\n")
      throw DeviceError(
        "\(rig.port): the instrument at address \(settings.address) does not answer: \(error.message)"
      )
    }
    report += "  instrument: \(identity.description)\n"
    guard identity.deviceType == settings.deviceType else {
      console.write(report + "result FAIL (another device type)\n")
      throw DataError(
        "\(rig.file): the instrument on \(rig.port) is device type \(identity.deviceType), the rig file describes a \(settings.deviceType)"
      )
    }
    var failed = false
    let plausible = BoardCommand.plausibleRange
    for (sensor, channel) in zip(rig.sensors, settings.channels) {
      let reading: String
      do throws(FaultKind) {
        let celsius = Double(try link.readFloat(channel.parameterID, instance: channel.instance))
        let text = "\(DecimalText.string(celsius, decimals: 3)) °C"
        if plausible.contains(celsius) {
          reading = text
        } else {
          reading = "IMPLAUSIBLE \(text)"
          failed = true
        }
      } catch {
        reading = "FAULT \(error.name)" + (link.lastError.map { " (\($0))" } ?? "")
        failed = true
      }
      report += "  sensor \(sensor): \(channel.description): \(reading)\n"
    }
    let instance = settings.outputInstance
    func line(_ label: String, _ parameter: UInt16, unit: String, integer: Bool = false) {
      do throws(FaultKind) {
        let value =
          integer
          ? String(try link.readInt(parameter, instance: instance))
          : DecimalText.string(
            Double(try link.readFloat(parameter, instance: instance)), decimals: 3)
        report += "  \(label) (\(parameter)): \(value)\(unit)\n"
      } catch {
        report += "  \(label) (\(parameter)): FAULT \(error.name)\n"
        failed = true
      }
    }
    line("actual current", MeComParameter.actualCurrent, unit: " A")
    do throws(FaultKind) {
      let status = try link.readInt(MeComParameter.deviceStatus)
      let healthy = MeComParameter.isHealthy(status: status)
      report +=
        "  device status (\(MeComParameter.deviceStatus)): \(status)"
        + (healthy ? "\n" : " NOT READY (a run needs 1 ready or 2 run)\n")
      if !healthy { failed = true }
    } catch {
      report += "  device status (\(MeComParameter.deviceStatus)): FAULT \(error.name)\n"
      failed = true
    }
    line("error number", MeComParameter.errorNumber, unit: "", integer: true)
    line("current limit now", MeComParameter.currentLimit, unit: " A")
    line("communication watchdog now", MeComParameter.communicationWatchdog, unit: " s")
    report +=
      "  at connect a run writes: current limit \(format(settings.currentLimitAmperes)) A, "
      + "object thresholds \(format(settings.objectLowCelsius)) … \(format(settings.objectHighCelsius)) °C, "
      + "watchdog \(format(settings.watchdogSeconds)) s, and reads each back\n"
    report += "  output cut when the host dies: " + MeComRun.cutOffText(settings) + "\n"
    report += "  no interlock input: contact and coolant flow must cut the TEC supply in hardware\n"
    report +=
      failed ? "result FAIL (a reading failed or the instrument is not ready)\n" : "result OK\n"
    console.write(report)
    return failed ? .checkFailed : .success
  }
}
