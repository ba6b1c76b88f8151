/// How a scenario verifies a catalogue entry, in Eclipse S-CORE's two words.
package enum VerificationExtent: String {
  /// The scenario alone shows the entry works: a requirement it lists, or a
  /// risk control whose check it must trip.
  case fully
  /// The scenario shows part of it: a risk control it lists without having
  /// to trip its check (it shows the check does not trip falsely).
  case partially
}

/// One entry's row of the trace matrix: the entry, the scenarios that
/// verify it with their results, and its status.
package struct TraceRow {
  /// Where an entry stands after the run.
  package enum Status: String {
    /// A passing scenario verifies it fully (for a risk control: and tripped its check).
    case verified
    /// A scenario that verifies it fully failed.
    case failed
    /// Verified by tests outside the suite (``TraceItem/verifiedOutsideSuite``).
    case outsideSuite = "outside-suite"
    /// A hazard with at least one verified risk control.
    case controlled
    /// Nothing verifies it.
    case gap
  }

  /// One scenario that lists the entry.
  package struct Evidence {
    package var path: String
    package var name: String
    package var extent: VerificationExtent
    package var passed: Bool
  }

  package var item: TraceItem
  package var status: Status
  /// Why it is not verified (empty when it is).
  package var reason: String
  /// For a requirement or a risk control, its scenarios; for a hazard, none
  /// (its risk controls are in ``controls``).
  package var evidence: [Evidence]
  /// For a hazard: its risk controls' IDs.
  package var controls: [String]

  /// Whether the row is in the gap list.
  package var isGap: Bool { status == .gap || status == .failed }
}

/// The trace matrix of a suite run: every catalogue entry → its scenarios →
/// their results, the gaps (entries nothing verifies, or whose scenario
/// failed) and the scenarios that trace to nothing.
package struct TraceMatrix {
  package var catalogue: RequirementCatalogue
  /// One row per entry, in catalogue order.
  package var rows: [TraceRow]
  /// Scenarios without a `verifies` list (an empty list is a deliberate "none").
  package var untraced: [String]
  /// Whether the run was one shard of a plan: its gaps are not a verdict
  /// (another shard may verify what this one lacks).
  package var isShard = false

  /// The rows in the gap list.
  package var gaps: [TraceRow] { rows.filter(\.isGap) }

  /// How `result` verifies each entry it lists: fully for a requirement or
  /// an entry without a check, fully for a risk control whose check the
  /// scenario must trip, partially otherwise. IDs the catalogue lacks are
  /// left out (validation refuses them before a run).
  package static func extents(
    of result: SuiteCaseResult, in catalogue: RequirementCatalogue
  ) -> [(id: String, extent: VerificationExtent)] {
    (result.verifies ?? []).compactMap { id in
      guard let item = catalogue.item(id) else { return nil }
      guard let check = item.check else { return (id, .fully) }
      return (id, result.expectedChecks.contains(check) ? .fully : .partially)
    }
  }

  /// The matrix of `results` against `catalogue`.
  package init(_ results: [SuiteCaseResult], catalogue: RequirementCatalogue) {
    self.catalogue = catalogue
    untraced = results.filter { $0.error == nil && $0.verifies == nil }.map(\.path)
    var evidence: [String: [TraceRow.Evidence]] = [:]
    var tripsOf: [String: [String]] = [:]
    for result in results {
      tripsOf[result.path] = result.trips.map(\.check)
      for (id, extent) in Self.extents(of: result, in: catalogue) {
        evidence[id, default: []].append(
          TraceRow.Evidence(
            path: result.path, name: result.name, extent: extent, passed: result.passed))
      }
    }
    var rows: [TraceRow] = []
    for item in catalogue.items where item.kind != .hazard {
      let found = evidence[item.id] ?? []
      let full = found.filter { $0.extent == .fully }
      let proving = full.filter { scenario in
        scenario.passed && (item.check.map { tripsOf[scenario.path]?.contains($0) == true } ?? true)
      }
      var status = TraceRow.Status.gap
      var reason = ""
      if let failing = full.first(where: { !$0.passed }) {
        status = .failed
        reason = "\(failing.path) failed"
      } else if !proving.isEmpty {
        status = .verified
      } else if item.verifiedOutsideSuite != nil {
        status = .outsideSuite
      } else if found.isEmpty {
        reason = "no scenario verifies it"
      } else if full.isEmpty {
        reason =
          "its scenarios verify it only partially"
          + (item.check.map { " (none must trip \($0))" } ?? "")
      } else {
        reason = "no passing scenario tripped \(item.check ?? "its check")"
      }
      rows.append(
        TraceRow(item: item, status: status, reason: reason, evidence: found, controls: []))
    }
    var hazardRows: [TraceRow] = []
    for hazard in catalogue.items where hazard.kind == .hazard {
      let controls = catalogue.riskControls(of: hazard.id).map(\.id)
      let controlled = rows.contains { row in
        controls.contains(row.item.id) && (row.status == .verified || row.status == .outsideSuite)
      }
      hazardRows.append(
        TraceRow(
          item: hazard, status: controlled ? .controlled : .gap,
          reason: controlled
            ? ""
            : controls.isEmpty
              ? "no risk control links to it" : "none of its risk controls is verified",
          evidence: [], controls: controls))
    }
    // Catalogue order: hazards were held back only to see their controls' status.
    self.rows = catalogue.items.compactMap { item in
      (rows + hazardRows).first { $0.item.id == item.id }
    }
  }
}
