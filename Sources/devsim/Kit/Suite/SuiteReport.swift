/// The reports a suite writes: JUnit XML that CI systems read, and a JSON summary.
package enum SuiteReport {
  /// JUnit XML: one `testsuite` per directory, one `testcase` per scenario,
  /// with the seed, the profile's SHA-256, the metrics and the reaction
  /// times as properties, and a `failure` (or `error`) when it did not pass.
  ///
  /// The catalogue IDs a scenario verifies are properties under the names
  /// two consumers read: `requirements` (Xray's JUnit import: the issue
  /// keys a test case covers, comma-separated) and, with a catalogue,
  /// `FullyVerifies` / `PartiallyVerifies` with `TestType` and
  /// `DerivationTechnique` (``TestClassification``, as Eclipse S-CORE's
  /// tests record them), with the scenario's `Description`.
  ///
  /// With a run record, each `testsuite` carries JUnit's `timestamp` and
  /// `hostname` attributes and the record as properties (`run.*`, and
  /// `input.N.KIND` for every file read, with its SHA-256).
  package static func junit(
    _ results: [SuiteCaseResult], wallSeconds: Double, trace: TraceMatrix? = nil,
    record: RunRecord? = nil
  ) -> String {
    var groups: [(String, [SuiteCaseResult])] = []
    for result in results {
      let directory = directoryOf(result.path)
      if let at = groups.firstIndex(where: { $0.0 == directory }) {
        groups[at].1.append(result)
      } else {
        groups.append((directory, [result]))
      }
    }
    let failures = results.filter { $0.error == nil && !$0.failures.isEmpty }.count
    let errors = results.filter { $0.error != nil }.count
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml +=
      "<testsuites name=\"devsim\" tests=\"\(results.count)\" failures=\"\(failures)\" "
      + "errors=\"\(errors)\" time=\"\(DecimalText.string(wallSeconds, decimals: 3))\">\n"
    for (directory, cases) in groups {
      let groupFailures = cases.filter { $0.error == nil && !$0.failures.isEmpty }.count
      let groupErrors = cases.filter { $0.error != nil }.count
      let time = cases.reduce(0) { $0 + $1.wallSeconds }
      xml +=
        "  <testsuite name=\"\(escape(directory))\" tests=\"\(cases.count)\" "
        + "failures=\"\(groupFailures)\" errors=\"\(groupErrors)\" skipped=\"0\" "
        + "time=\"\(DecimalText.string(time, decimals: 3))\""
        + (record.map {
          " timestamp=\"\(escape($0.junitTimestamp))\" hostname=\"\(escape($0.host))\""
        }
          ?? "")
        + ">\n"
      if let record {
        xml += "    <properties>\n"
        for (name, value) in record.pairs {
          xml += "      <property name=\"\(escape(name))\" value=\"\(escape(value))\"/>\n"
        }
        xml += "    </properties>\n"
      }
      for result in cases {
        let classname = directory.replacingOccurrences(of: "/", with: ".")
        xml +=
          "    <testcase classname=\"\(escape(classname))\" name=\"\(escape(baseName(result.path)))\" "
          + "file=\"\(escape(result.path))\" time=\"\(DecimalText.string(result.wallSeconds, decimals: 3))\">\n"
        xml += "      <properties>\n"
        for (name, value) in properties(result) + traceProperties(result, trace) {
          xml += "        <property name=\"\(escape(name))\" value=\"\(escape(value))\"/>\n"
        }
        xml += "      </properties>\n"
        if let error = result.error {
          xml +=
            "      <error message=\"\(escape(error))\" type=\"profile\">\(escape(error))</error>\n"
        } else if !result.failures.isEmpty {
          let message = result.failures[0]
          let body = result.failures.joined(separator: "\n")
          xml +=
            "      <failure message=\"\(escape(message))\" type=\"expectation\">\(escape(body))</failure>\n"
        }
        xml += "    </testcase>\n"
      }
      xml += "  </testsuite>\n"
    }
    xml += "</testsuites>\n"
    return xml
  }

  /// A JSON summary for programs: totals and every case with its figures;
  /// with a catalogue, the trace matrix, the gaps and the untraced scenarios.
  package static func json(
    _ results: [SuiteCaseResult], wallSeconds: Double, trace: TraceMatrix? = nil,
    record: RunRecord? = nil
  ) -> String {
    let passed = results.filter(\.passed).count
    var text =
      "{\"devsim\":\(JSONText.quoted(Version.string)),\"total\":\(results.count),"
      + "\"passed\":\(passed),\"failed\":\(results.count - passed),"
      + "\"wallSeconds\":\(DecimalText.string(wallSeconds, decimals: 3)),"
      + (record.map { "\n\"run\":\($0.json),\n" } ?? "") + "\"cases\":["
    for (index, result) in results.enumerated() {
      if index > 0 { text += "," }
      text +=
        "\n{\"path\":\(JSONText.quoted(result.path)),\"name\":\(JSONText.quoted(result.name)),"
        + "\"passed\":\(result.passed),\"seed\":\(result.seed),"
        + "\"profileSha256\":\(JSONText.quoted(result.sha256)),\"mode\":\(JSONText.quoted(result.mode)),"
        + "\"wallSeconds\":\(DecimalText.string(result.wallSeconds, decimals: 4)),"
        + "\"error\":\(result.error.map(JSONText.quoted) ?? "null"),"
        + "\"failures\":[\(result.failures.map(JSONText.quoted).joined(separator: ","))],"
        + "\"verifies\":\(result.verifies.map(stringArray) ?? "null"),"
        + "\"expectedTrips\":\(stringArray(result.expectedChecks)),"
        + "\"description\":\(JSONText.quoted(result.description)),"
        + "\"relaxed\":[\(result.relaxations.map { "{\"field\":\(JSONText.quoted($0.field)),\"reason\":\(JSONText.quoted($0.reason))}" }.joined(separator: ","))],"
        + "\"warnings\":\(stringArray(result.warnings)),"
        + "\"trace\":\(result.trace.map { "{\"path\":\(JSONText.quoted($0.path)),\"sha256\":\(JSONText.quoted($0.sha256))}" } ?? "null"),"
        + extentsJSON(result, trace)
        + "\"dose\":\(JSONText.quoted(result.doseText)),"
        + "\"metrics\":{\(result.metrics.map { "\(JSONText.quoted($0.name)):\($0.value)" }.joined(separator: ","))},"
        + "\"trips\":[\(result.trips.map(tripJSON).joined(separator: ","))]}"
    }
    text += "\n]"
    if let trace { text += "," + traceJSON(trace) }
    return text + "}\n"
  }

  private static func stringArray(_ list: [String]) -> String {
    "[\(list.map(JSONText.quoted).joined(separator: ","))]"
  }

  private static func extentsJSON(_ result: SuiteCaseResult, _ trace: TraceMatrix?) -> String {
    guard let trace else { return "" }
    let extents = TraceMatrix.extents(of: result, in: trace.catalogue)
    return "\"fullyVerifies\":\(stringArray(extents.filter { $0.extent == .fully }.map(\.id))),"
      + "\"partiallyVerifies\":\(stringArray(extents.filter { $0.extent == .partially }.map(\.id))),"
  }

  /// The catalogue (path and hash), the matrix, the gaps and the untraced scenarios.
  private static func traceJSON(_ trace: TraceMatrix) -> String {
    var text =
      "\n\"catalogue\":{\"path\":\(JSONText.quoted(trace.catalogue.path)),"
      + "\"sha256\":\(JSONText.quoted(trace.catalogue.sha256)),\"items\":\(trace.catalogue.items.count)},"
      + "\n\"trace\":["
    for (index, row) in trace.rows.enumerated() {
      if index > 0 { text += "," }
      text +=
        "\n{\"id\":\(JSONText.quoted(row.item.id)),\"kind\":\(JSONText.quoted(row.item.kind.rawValue)),"
        + "\"title\":\(JSONText.quoted(row.item.title)),\"status\":\(JSONText.quoted(row.status.rawValue)),"
        + "\"links\":\(stringArray(row.item.links)),"
        + "\"check\":\(row.item.check.map(JSONText.quoted) ?? "null"),"
        + "\"verifiedOutsideSuite\":\(row.item.verifiedOutsideSuite.map(JSONText.quoted) ?? "null"),"
        + "\"riskControls\":\(stringArray(row.controls)),"
        + "\"scenarios\":["
        + row.evidence.map {
          "{\"path\":\(JSONText.quoted($0.path)),\"name\":\(JSONText.quoted($0.name)),"
            + "\"verifies\":\(JSONText.quoted($0.extent.rawValue)),\"passed\":\($0.passed)}"
        }.joined(separator: ",") + "]}"
    }
    text += "\n],\n\"gaps\":["
    text += trace.gaps.map {
      "\n{\"id\":\(JSONText.quoted($0.item.id)),\"kind\":\(JSONText.quoted($0.item.kind.rawValue)),"
        + "\"status\":\(JSONText.quoted($0.status.rawValue)),\"reason\":\(JSONText.quoted($0.reason))}"
    }.joined(separator: ",")
    text += "\n],\n\"gapsJudged\":\(!trace.isShard),\"untraced\":\(stringArray(trace.untraced))\n"
    return text
  }

  /// The trace properties of a case (none when it lists no ID).
  private static func traceProperties(_ result: SuiteCaseResult, _ trace: TraceMatrix?) -> [(
    String, String
  )] {
    guard let ids = result.verifies, !ids.isEmpty else { return [] }
    var list = [("requirements", ids.joined(separator: ", "))]
    if let trace {
      let extents = TraceMatrix.extents(of: result, in: trace.catalogue)
      for extent in [VerificationExtent.fully, .partially] {
        let named = extents.filter { $0.extent == extent }.map(\.id)
        if !named.isEmpty {
          list.append(
            (
              extent == .fully ? "FullyVerifies" : "PartiallyVerifies",
              named.joined(separator: ", ")
            ))
        }
      }
      list.append(("TestType", TestClassification.testType(result)))
      list.append(("DerivationTechnique", TestClassification.derivationTechnique))
    }
    if !result.description.isEmpty { list.append(("Description", result.description)) }
    return list
  }

  private static func tripJSON(_ trip: SuiteTrip) -> String {
    "{\"check\":\(JSONText.quoted(trip.check)),\"subject\":\(JSONText.quoted(trip.subject.trimmingWhitespace())),"
      + "\"measurement\":\(JSONText.quoted(trip.measurement)),"
      + "\"detectedSeconds\":\(seconds(trip.detectedNanoseconds)),"
      + "\"reactionFromInjectionSeconds\":\(seconds(trip.fromInjectionNanoseconds)),"
      + "\"reactionFromOnsetSeconds\":\(seconds(trip.fromOnsetNanoseconds)),"
      + "\"reactionBoundSeconds\":\(seconds(trip.boundNanoseconds))}"
  }

  private static func properties(_ result: SuiteCaseResult) -> [(String, String)] {
    var list: [(String, String)] = [
      ("seed", String(result.seed)), ("profile.sha256", result.sha256), ("mode", result.mode),
    ]
    if let trace = result.trace { list.append(("trace.sha256", "\(trace.sha256)  \(trace.path)")) }
    list += result.metrics.map { ("metric.\($0.name)", $0.value) }
    list += result.relaxations.map { ("relaxed.\($0.field)", $0.reason) }
    list += result.warnings.enumerated().map { ("warning.\($0.offset + 1)", $0.element) }
    for (index, trip) in result.trips.enumerated() {
      let prefix = "trip.\(index + 1)"
      list += [
        ("\(prefix).check", trip.check),
        ("\(prefix).detectedSeconds", seconds(trip.detectedNanoseconds)),
        ("\(prefix).reactionFromInjectionSeconds", seconds(trip.fromInjectionNanoseconds)),
        ("\(prefix).reactionFromOnsetSeconds", seconds(trip.fromOnsetNanoseconds)),
        ("\(prefix).reactionBoundSeconds", seconds(trip.boundNanoseconds)),
      ]
    }
    return list
  }

  private static func seconds(_ nanoseconds: UInt64) -> String {
    DecimalText.string(Double(nanoseconds) * 1e-9, decimals: 3)
  }

  private static func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
  }

  private static func baseName(_ path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.hasSuffix(".json") ? String(file.dropLast(5)) : file
  }

  /// Escapes text for XML attributes and content; control characters other
  /// than tab and newline are dropped (XML 1.0 cannot carry them).
  package static func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n": out += "&#10;"
      case "\t": out.unicodeScalars.append(scalar)
      case let c where c.value < 0x20: continue
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
