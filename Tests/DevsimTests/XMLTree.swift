import DevsimKit
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A document read by Foundation's `XMLParser` (libxml2 underneath), an XML
/// reader that is not ours: what the plot and report tests inspect.
final class XMLTree: NSObject, XMLParserDelegate {
  /// One element: its name, attributes, direct text and children.
  final class Element {
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [Element] = []
    weak var parent: Element?

    init(name: String, attributes: [String: String], parent: Element?) {
      self.name = name
      self.attributes = attributes
      self.parent = parent
    }

    /// This element and every element under it, in document order.
    var descendants: [Element] { [self] + children.flatMap(\.descendants) }

    /// All text under this element, concatenated.
    var allText: String { text + children.map(\.allText).joined() }

    /// Whether the `class` attribute lists `name`.
    func hasClass(_ name: String) -> Bool {
      (attributes["class"] ?? "").split(separator: " ").contains { $0 == name }
    }

    /// Elements under this one whose class lists `name`.
    func classed(_ name: String) -> [Element] { descendants.filter { $0.hasClass(name) } }
  }

  private(set) var root: Element?
  private var current: Element?
  private var failure: Error?

  struct ParseFailure: Error, CustomStringConvertible {
    var description: String
  }

  /// Parses `text`; throws when it is not well-formed XML.
  static func parse(_ text: String) throws -> XMLTree {
    let tree = XMLTree()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = tree
    let ok = parser.parse()
    if let failure = tree.failure { throw failure }
    guard ok, tree.root != nil else {
      throw ParseFailure(
        description:
          "not well-formed XML at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "?")"
      )
    }
    return tree
  }

  /// Parses the file at `path`.
  static func parse(contentsOf path: String) throws -> XMLTree {
    try parse(String(contentsOfFile: path, encoding: .utf8))
  }

  /// Every element named `name`.
  func all(_ name: String) -> [Element] { root?.descendants.filter { $0.name == name } ?? [] }

  /// Every element whose class lists `name`.
  func classed(_ name: String) -> [Element] { root?.classed(name) ?? [] }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    let element = Element(name: elementName, attributes: attributes, parent: current)
    if let current { current.children.append(element) } else { root = element }
    current = element
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    current = current?.parent
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    current?.text += string
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
    failure = failure ?? ParseFailure(description: "line \(parser.lineNumber): \(parseError)")
  }
}
