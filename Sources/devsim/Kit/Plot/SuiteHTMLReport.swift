/// The suite's report for people: one self-contained HTML file that any
/// browser opens, with no script and no external file.
///
/// A summary (passed, failed, total, wall time); a table of the scenarios,
/// failures first, with their metrics (time in window, trips with their
/// reaction times and bounds, dose); then each scenario's plot (``RunPlot``)
/// inline, linked from its row. The markup is XHTML-compatible (every element
/// closed, attributes quoted, only XML's own entities), so XML tools parse it
/// as well as browsers do.
package enum SuiteHTMLReport {
  /// The report for `results`, which carry their plots when the suite recorded them.
  /// With a `trace`, a traceability section follows the table: the gap
  /// list, then the matrix (entry → scenarios → result).
  /// With a `record`, the run record follows as a table.
  package static func html(
    _ results: [SuiteCaseResult], wallSeconds: Double, trace: TraceMatrix? = nil,
    record: RunRecord? = nil
  ) -> String {
    let ordered = results.enumerated().sorted {
      ($0.element.passed ? 1 : 0, $0.offset) < ($1.element.passed ? 1 : 0, $1.offset)
    }.map(\.element)
    let passed = results.filter(\.passed).count
    let failed = results.count - passed
    var out = MarkupWriter()
    out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n")
    out.open("html", ["xmlns": "http://www.w3.org/1999/xhtml", "lang": "en"])
    out.open("head")
    out.element("meta", ["charset": "UTF-8"])
    out.element("title", text: "devsim suite: \(passed) passed, \(failed) failed")
    // CSS is raw text in HTML (entities are not decoded there): written as
    // is, and kept free of `<`, `&` and quotes so it is well-formed XML too.
    out.open("style")
    out.raw(style)
    out.close()
    out.close()
    out.open("body")
    out.element("h1", text: "devsim suite report")
    out.open("p", ["class": "summary"])
    out.element(
      "span", ["class": failed == 0 ? "pass" : "fail"],
      text: failed == 0 ? "ALL PASSED" : "FAILURES")
    out.characters(
      "  \(passed) passed, \(failed) failed, \(results.count) total, wall time "
        + "\(DecimalText.string(wallSeconds, decimals: 2)) s  ·  devsim \(Version.string)")
    out.close()
    table(ordered, into: &out)
    if let trace { traceability(trace, into: &out) }
    if let record { runRecord(record, into: &out) }
    for (index, result) in ordered.enumerated() { section(result, index: index, into: &out) }
    return out.finish()
  }

  private static func table(_ results: [SuiteCaseResult], into out: inout MarkupWriter) {
    out.open("table", ["class": "cases"])
    out.open("thead")
    out.open("tr")
    for heading in [
      "result", "scenario", "mode", "time in window", "trips: check at detection",
      "reaction from fault / from onset (bound)", "dose", "wall",
    ] {
      out.element("th", text: heading)
    }
    out.close()
    out.close()
    out.open("tbody")
    for (index, result) in results.enumerated() {
      out.open("tr", ["class": result.passed ? "pass" : "fail"])
      out.element("td", ["class": "status"], text: result.passed ? "pass" : "FAIL")
      out.open("td")
      out.element("a", ["href": "#case-\(index + 1)"], text: result.name)
      out.element("br")
      out.element("span", ["class": "path"], text: result.path)
      for warning in result.warnings {
        out.element("br")
        out.element("span", ["class": "relaxed"], text: "warning: \(warning)")
      }
      for relaxation in result.relaxations {
        out.element("br")
        out.element(
          "span", ["class": "relaxed", "title": relaxation.reason],
          text: "relaxed: \(relaxation.field)")
      }
      out.close()
      out.element("td", text: result.mode)
      out.element(
        "td", ["class": "number lines"],
        text: result.windowFractions.map {
          "\($0.phase) \(DecimalText.string($0.fraction * 100, decimals: 2)) %"
        }.joined(separator: "\n"))
      out.element(
        "td", ["class": "lines"],
        text: result.trips.map {
          "\($0.check)\($0.subject) at \(Summary.clock($0.detectedNanoseconds))"
            + ($0.measurement.isEmpty ? "" : " (\($0.measurement))")
        }
        .joined(separator: "\n"))
      out.element(
        "td", ["class": "number lines"],
        text: result.trips.map {
          "\(Summary.seconds($0.fromInjectionNanoseconds)) / \(Summary.seconds($0.fromOnsetNanoseconds)) "
            + "(≤ \(Summary.seconds($0.boundNanoseconds)))"
        }.joined(separator: "\n"))
      out.element("td", text: result.doseText)
      out.element(
        "td", ["class": "number wall"],
        text: "\(DecimalText.string(result.wallSeconds, decimals: 2)) s")
      out.close()
      let problems = (result.error.map { [$0] } ?? []) + result.failures
      if !problems.isEmpty {
        out.open("tr", ["class": "fail detail"])
        out.element("td", text: "")
        out.open("td", ["colspan": "7"])
        out.open("ul")
        for problem in problems { out.element("li", text: problem) }
        out.close()
        out.close()
        out.close()
      }
    }
    out.close()
    out.close()
  }

  /// The run record: tool, commit, host, executor, times, every file read
  /// (a `div`: the `section`s are the scenarios, one each).
  private static func runRecord(_ record: RunRecord, into out: inout MarkupWriter) {
    out.open("div", ["id": "run-record"])
    out.element("h2", text: "Run record")
    out.open("table", ["class": "cases record"])
    out.open("tbody")
    for (name, value) in record.pairs {
      out.open("tr")
      out.element("td", text: name)
      out.element("td", ["class": "path"], text: value)
      out.close()
    }
    out.close()
    out.close()
    out.close()
  }

  /// The gap list and the trace matrix.
  private static func traceability(_ trace: TraceMatrix, into out: inout MarkupWriter) {
    out.open("div", ["id": "traceability"])
    out.element("h2", text: "Traceability")
    out.element(
      "p", ["class": "path"],
      text: "catalogue \(trace.catalogue.path)  ·  sha256 \(trace.catalogue.sha256)")
    let gaps = trace.gaps
    out.open("p", ["class": "summary"])
    out.element(
      "span", ["class": gaps.isEmpty ? "pass" : "fail"],
      text: gaps.isEmpty ? "NO GAPS" : "\(gaps.count) GAPS")
    out.characters(
      "  \(trace.rows.count) entries: "
        + TraceKind.allCases.map { kind in
          "\(trace.rows.filter { $0.item.kind == kind }.count) \(kind.rawValue)s"
        }.joined(separator: ", "))
    out.close()
    if trace.isShard {
      out.element(
        "p", ["class": "path"],
        text: "one shard of a plan: its gaps are judged on the whole plan, not here")
    }
    if !gaps.isEmpty {
      out.open("ul", ["class": "problems"])
      for gap in gaps {
        out.element("li", text: "\(gap.item.id) (\(gap.item.kind.rawValue)): \(gap.reason)")
      }
      out.close()
    }
    if !trace.untraced.isEmpty {
      out.element(
        "p", ["class": "path"],
        text: "scenarios without a verifies list: \(trace.untraced.joined(separator: ", "))")
    }
    out.open("table", ["class": "cases trace"])
    out.open("thead")
    out.open("tr")
    for heading in ["status", "entry", "kind", "title", "scenarios (or risk controls)"] {
      out.element("th", text: heading)
    }
    out.close()
    out.close()
    out.open("tbody")
    for row in trace.rows {
      out.open("tr", ["class": row.isGap ? "fail" : "pass", "id": "trace-\(row.item.id)"])
      out.element("td", ["class": "status"], text: row.status.rawValue)
      out.element("td", text: row.item.id)
      out.element("td", text: row.item.kind.rawValue)
      out.open("td")
      out.characters(row.item.title)
      if let check = row.item.check {
        out.element("br")
        out.element("span", ["class": "path"], text: "check \(check)")
      }
      if let outside = row.item.verifiedOutsideSuite {
        out.element("br")
        out.element("span", ["class": "path"], text: "outside the suite: \(outside)")
      }
      if !row.reason.isEmpty {
        out.element("br")
        out.element("span", ["class": "relaxed"], text: row.reason)
      }
      out.close()
      let lines =
        row.item.kind == .hazard
        ? row.controls
        : row.evidence.map {
          "\($0.passed ? "pass" : "FAIL") \($0.name)\($0.extent == .partially ? " (partially)" : "")"
        }
      out.element("td", ["class": "lines"], text: lines.joined(separator: "\n"))
      out.close()
    }
    out.close()
    out.close()
    out.close()
  }

  private static func section(_ result: SuiteCaseResult, index: Int, into out: inout MarkupWriter) {
    out.open("section", ["id": "case-\(index + 1)", "class": result.passed ? "pass" : "fail"])
    out.open("h2")
    out.element("span", ["class": "status"], text: result.passed ? "pass" : "FAIL")
    out.characters(" \(result.name)")
    out.close()
    out.element(
      "p", ["class": "path"],
      text: "\(result.path)  ·  seed \(result.seed)  ·  profile sha256 \(result.sha256)")
    let problems = (result.error.map { [$0] } ?? []) + result.failures
    if !problems.isEmpty {
      out.open("ul", ["class": "problems"])
      for problem in problems { out.element("li", text: problem) }
      out.close()
    }
    if let plot = result.plot {
      out.open("div", ["class": "plot"])
      out.raw(plot)
      out.close()
    }
    out.close()
  }

  private static let style = """
    body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 24px; color: #111111;
      background: #FFFFFF; }
    h1 { font-size: 22px; margin: 0 0 8px 0; }
    h2 { font-size: 18px; margin: 28px 0 4px 0; }
    .summary { font-size: 16px; }
    .relaxed { display: inline-block; margin-top: 2px; padding: 0 6px; border-radius: 8px;
      background: #FFE8A3; color: #5A3E00; font-size: 12px; }
    .summary .pass, .summary .fail { font-weight: bold; padding: 2px 8px; border-radius: 3px; }
    .pass .status, .summary .pass { color: #0B5D1E; }
    .fail .status, .summary .fail { color: #C00000; }
    .summary .pass { background: #E3F4E6; }
    .summary .fail { background: #FBE3E3; }
    table.cases { border-collapse: collapse; font-size: 13px; width: 100%; }
    table.cases th { text-align: left; background: #EEEEEE; border-bottom: 2px solid #444444; }
    table.cases th, table.cases td { padding: 4px 8px; vertical-align: top; }
    td.lines { white-space: pre-line; }
    td.wall { white-space: nowrap; }
    table.cases tr { border-bottom: 1px solid #DDDDDD; }
    table.cases tr.fail td { background: #FDF1F1; }
    td.status { font-weight: bold; }
    td.number { font-variant-numeric: tabular-nums; }
    .path { color: #555555; font-size: 12px; }
    ul.problems, tr.detail ul { margin: 2px 0; color: #C00000; }
    .plot svg { max-width: 100%; height: auto; border: 1px solid #DDDDDD; }
    @media print { section { page-break-inside: avoid; } a { color: inherit; } }
    """
}
