/// Builds XML text (SVG, XHTML) element by element, escaping every attribute
/// value and every piece of text.
///
/// Usage:
///
///     var svg = MarkupWriter()
///     svg.open("g", ["class": "legend"])  // attributes in the order given
///     svg.element("text", [("x", "10"), ("y", "20")], text: "a < b")
///     svg.close()
///
/// Elements are closed in reverse order of opening; ``close()`` with
/// nothing open does nothing, so a mistake cannot trap. Text is escaped with
/// ``SuiteReport/escape(_:)``: `&`, `<`, `>`, `"`, `'` become entities and
/// control characters XML cannot carry are dropped.
package struct MarkupWriter {
  /// The text written so far.
  package private(set) var text = ""
  private var openElements: [String] = []

  /// An empty document.
  package init() {}

  /// Appends raw, already well-formed markup (a prolog, a nested document).
  package mutating func raw(_ markup: String) { text += markup }

  /// Opens `name` with `attributes`, in order.
  package mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
    start(name, attributes.map { ($0.key, $0.value) })
    text += ">"
    openElements.append(name)
  }

  /// Opens `name` with attributes given as a list (for attributes built at run time).
  package mutating func open(_ name: String, attributes: [(String, String)]) {
    start(name, attributes)
    text += ">"
    openElements.append(name)
  }

  /// Closes the innermost open element.
  package mutating func close() {
    guard let name = openElements.popLast() else { return }
    text += "</\(name)>\n"
  }

  /// Writes a whole element: empty (`<name .../>`) without text, else with escaped text.
  package mutating func element(
    _ name: String, _ attributes: KeyValuePairs<String, String> = [:], text content: String? = nil
  ) {
    element(name, attributes: attributes.map { ($0.key, $0.value) }, text: content)
  }

  /// Writes a whole element with attributes given as a list.
  package mutating func element(
    _ name: String, attributes: [(String, String)], text content: String? = nil
  ) {
    start(name, attributes)
    if let content {
      text += ">\(MarkupWriter.escape(content))</\(name)>\n"
    } else {
      text += "/>\n"
    }
  }

  /// Appends escaped text inside the open element.
  package mutating func characters(_ content: String) { text += MarkupWriter.escape(content) }

  /// Closes every element still open and returns the document.
  package mutating func finish() -> String {
    while !openElements.isEmpty { close() }
    return text
  }

  private mutating func start(_ name: String, _ attributes: [(String, String)]) {
    text += "<\(name)"
    for (key, value) in attributes { text += " \(key)=\"\(MarkupWriter.escape(value))\"" }
  }

  /// Text made safe for an attribute value or element content.
  package static func escape(_ text: String) -> String {
    // Path data and numbers, most of a plot's bytes, need nothing: skip the
    // per-character pass for them.
    let plain = text.utf8.allSatisfy {
      $0 >= 0x20 && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "<")
        && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'")
    }
    return plain ? text : SuiteReport.escape(text)
  }
}
