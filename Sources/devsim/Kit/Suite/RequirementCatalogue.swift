import Foundation
import ThermalLoop

/// One ID in a profile's `verifies` list, with where it was written (for errors).
package struct TraceReference: Equatable {
  /// The catalogue ID, e.g. `RC-HARD-HIGH`.
  package var id: String
  /// The line of the profile it is on.
  package var line: Int
  /// Its JSON path, e.g. `$.verifies[1]`.
  package var path: String
}

/// What a catalogue entry is (ISO 14971's vocabulary for the last two).
package enum TraceKind: String, CaseIterable {
  /// Something the device must do (hold the window, stop at the time cap).
  case requirement
  /// A potential source of harm (a burn, a freeze, a sensor that lies).
  case hazard
  /// A measure that reduces a hazard's risk: here, a supervisor check.
  case riskControl = "risk-control"
}

/// One entry of the catalogue.
package struct TraceItem: Equatable {
  package var id: String
  package var kind: TraceKind
  package var title: String
  /// Related entries: for a risk control, the hazards it controls (at least one).
  package var links: [String]
  /// For a risk control that is a supervisor check: the check's name. A
  /// scenario verifies it fully only when it must trip that check, and the
  /// suite counts it verified only when a passing scenario did trip it.
  package var check: String?
  /// Where the entry is verified when no simulated scenario can reach it
  /// (a test file and why), shown in the matrix instead of a gap.
  package var verifiedOutsideSuite: String?
}

/// The requirements, hazards and risk controls that scenarios trace to:
/// `requirements.json`, next to the profiles or in a folder above them.
///
/// A profile names the entries it verifies in `verifies`; the suite turns
/// the links into a trace matrix (entry → scenarios → result) and a gap list.
package struct RequirementCatalogue {
  /// The catalogue's file name; suites and `validate` skip it as a profile.
  package static let fileName = "requirements.json"
  /// The largest catalogue accepted, bytes.
  package static let maximumBytes = 4 << 20
  package static let schemaVersion = 1

  /// The file, as found.
  package var path: String
  /// The SHA-256 of its exact bytes.
  package var sha256: String
  package var title: String
  /// Every entry, in file order.
  package var items: [TraceItem]

  /// The entry with `id`.
  package func item(_ id: String) -> TraceItem? { items.first { $0.id == id } }

  /// Reads and checks the catalogue at `path`: unknown keys, duplicate IDs,
  /// links to nothing, unknown check names and risk controls without a
  /// hazard are refused with the file, line and JSON path.
  package static func load(_ path: String) throws(KitError) -> RequirementCatalogue {
    try JSONFile.load(path, maximumBytes: maximumBytes) { bytes in
      try decode(JSONFile.root(of: bytes, file: path), path: path, sha256: SHA256.hex(bytes))
    }
  }

  /// The catalogue nearest to `path` (a profile or a folder of profiles):
  /// `requirements.json` in its folder or the closest folder above it, up to
  /// the file system's root for an absolute path, or the working directory
  /// for a relative one.
  package static func locate(near path: String) -> String? {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    var components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if !(exists && isDirectory.boolValue) { components.removeLast() }
    while components.last == "" && components.count > 1 { components.removeLast() }
    while true {
      let folder = components.joined(separator: "/")
      let candidate =
        folder.isEmpty ? (path.hasPrefix("/") ? "/\(fileName)" : fileName) : "\(folder)/\(fileName)"
      if FileManager.default.fileExists(atPath: candidate) { return candidate }
      guard !components.isEmpty, components != [""] else { return nil }
      components.removeLast()
    }
  }

  /// Refuses a `verifies` entry that names no catalogue entry, or a hazard
  /// (a hazard is verified through its risk controls), naming the profile's
  /// file, line and JSON path.
  package func check(_ references: [TraceReference], file: String) throws(DataError) {
    for reference in references {
      let location = "\(file):\(reference.line): \(reference.path)"
      guard let item = item(reference.id) else {
        throw DataError(
          "\(location): unknown ID \"\(reference.id)\": not in the catalogue \(path)")
      }
      if item.kind == .hazard {
        throw DataError(
          "\(location): \"\(reference.id)\" is a hazard; a scenario verifies its risk controls "
            + "(\(riskControls(of: reference.id).map(\.id).joined(separator: ", ")))")
      }
    }
  }

  /// The risk controls that link to the hazard `id`.
  package func riskControls(of id: String) -> [TraceItem] {
    items.filter { $0.kind == .riskControl && $0.links.contains(id) }
  }

  private static func decode(_ reader: JSONReader, path: String, sha256: String) throws
    -> RequirementCatalogue
  {
    let top = try reader.object()
    let versionReader = try top.required("schemaVersion")
    let version = try versionReader.integer(in: 0...1_000)
    guard version == Int64(schemaVersion) else {
      throw versionReader.fail(
        "schema version \(version) is not supported (this devsim reads version \(schemaVersion))")
    }
    let title = try top.optional("title")?.string() ?? ""
    let list = try top.required("items")
    let readers = try list.array()
    guard !readers.isEmpty else { throw list.fail("a catalogue lists at least one item") }
    var items: [TraceItem] = []
    var linkReaders: [[JSONReader]] = []
    let checkNames = SafetyCheck.allCases.map { "\($0.name)" }
    for element in readers {
      let object = try element.object()
      let idReader = try object.required("id")
      let id = try idReader.identifier()
      guard !items.contains(where: { $0.id == id }) else {
        throw idReader.fail("the ID \"\(id)\" is used twice")
      }
      let kind = try object.required("kind").choice(TraceKind.allCases.map { ($0.rawValue, $0) })
      let titleReader = try object.required("title")
      let itemTitle = try titleReader.string()
      guard !itemTitle.isEmpty else { throw titleReader.fail("the title is empty") }
      let links = try object.optional("links")?.array() ?? []
      var check: String? = nil
      if let checkReader = object.optional("check") {
        guard kind == .riskControl else {
          throw checkReader.fail("only a risk control names a supervisor check")
        }
        let name = try checkReader.string()
        guard checkNames.contains(name) else {
          throw checkReader.fail(
            "unknown check \"\(name)\"; the checks are \(checkNames.joined(separator: ", "))")
        }
        check = name
      }
      var outside: String? = nil
      if let outsideReader = object.optional("verifiedOutsideSuite") {
        guard kind != .hazard else {
          throw outsideReader.fail("a hazard is verified through its risk controls")
        }
        outside = try outsideReader.string()
        guard outside?.isEmpty == false else { throw outsideReader.fail("say where, and why") }
      }
      try object.finish()
      items.append(
        TraceItem(
          id: id, kind: kind, title: itemTitle, links: try links.map { try $0.identifier() },
          check: check, verifiedOutsideSuite: outside))
      linkReaders.append(links)
    }
    for (index, item) in items.enumerated() {
      for (link, linkReader) in zip(item.links, linkReaders[index]) {
        guard link != item.id else { throw linkReader.fail("\(item.id) links to itself") }
        guard items.contains(where: { $0.id == link }) else {
          throw linkReader.fail("\(item.id) links to \"\(link)\", which is not in the catalogue")
        }
      }
      let hazards = items.filter { $0.kind == .hazard }.map(\.id)
      if item.kind == .riskControl, !item.links.contains(where: hazards.contains) {
        throw readers[index].fail(
          "the risk control \(item.id) links to no hazard (\"links\": the hazards it controls)")
      }
    }
    try top.finish()
    return RequirementCatalogue(path: path, sha256: sha256, title: title, items: items)
  }
}
