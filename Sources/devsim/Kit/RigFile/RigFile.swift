import ApplicatorLinux

/// A rig file: an off-the-shelf instrument devsim drives (docs/instruments.md), decoded
/// strictly by ``RigFileDecoder``. The `protocol` key says which family; each family has
/// its own settings (only MeCom is built; Arroyo, SCPI and Modbus slot in beside it).
package struct RigFile {
  /// The version of the format this devsim reads.
  package static let schemaVersion = 1

  /// The file as given.
  package var file: String
  /// The rig's name.
  package var name: String
  /// Where the instrument is: a tty path or `tcp://host:port`.
  package var port: String
  /// The baud rate of a tty (ignored over TCP).
  package var baud: Int
  /// The profile's sensors, by name, in the order of the instrument's channels.
  package var sensors: [String]
  /// What the instrument is and how it is driven.
  package var instrument: RigInstrument
}

/// One family's settings.
package enum RigInstrument {
  /// A Meerstetter TEC over MeCom, in host control.
  case mecom(MeComSettings)

  /// The protocol's name, as the rig file's `protocol` key spells it.
  package var protocolName: String {
    switch self {
    case .mecom: "mecom"
    }
  }
}
