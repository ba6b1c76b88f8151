import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// The campaign's invariant checker catches a deliberately broken check and
/// shrinks the schedule to the fault that shows it.
@Suite(.tags(.safety)) struct CampaignTests {
  private func profile() throws -> Profile {
    try loadShipped("Profiles/cryolipolysis-35min.json").profile
  }

  @Test func aHealthyScheduleKeepsTheInvariants() throws {
    let profile = try profile()
    let schedule = [
      CampaignFault(kind: "dropout", target: "plate", atNanoseconds: 600_000_000_000, value: nil),
      CampaignFault(
        kind: "contact-lost", target: "plant", atNanoseconds: 900_000_000_000, value: nil),
    ]
    #expect(CampaignRun.check(profile, schedule: schedule).isEmpty)
  }

  @Test func aBrokenStaleCheckIsCaughtAndShrunk() throws {
    let profile = try profile()
    // Stale detection broken: it would wait an hour. The invariant checker
    // judges detectability from the readings, with the documented bound.
    let broken: (inout SafetyConfiguration) -> Void = {
      $0.staleTripNanoseconds = 3_600_000_000_000
    }
    let schedule = [
      CampaignFault(kind: "spikes", target: "heatsink", atNanoseconds: 300_000_000_000, value: 0.5),
      CampaignFault(kind: "dropout", target: "plate", atNanoseconds: 600_000_000_000, value: nil),
      CampaignFault(kind: "drift", target: "skin", atNanoseconds: 700_000_000_000, value: 0.01),
    ]
    let violations = CampaignRun.check(profile, schedule: schedule, adjust: broken)
    #expect(violations.contains { $0.invariant == 3 && $0.message.hasPrefix("dropout on plate") })
    let minimal = CampaignRun.shrink(profile, schedule: schedule, adjust: broken)
    #expect(minimal == [schedule[1]])
    #expect(FaultSchedule.format(minimal) == "dropout:plate@600.0")
    // The same schedule on the intact supervisor keeps every invariant.
    #expect(CampaignRun.check(profile, schedule: minimal).isEmpty)
  }

  @Test func aBrokenPlausibilityCheckIsCaughtAndShrunk() throws {
    let profile = try profile()
    // Breaking plausibility (a range no reading leaves) lets an open sensor
    // run on: the shrunk schedule is the open sensor alone.
    let broken: (inout SafetyConfiguration) -> Void = {
      $0.plausibleRange = TemperatureWindow(lowCelsius: -1000, highCelsius: 1000)
      $0.rateFallLimitCelsiusPerSecond = .infinity
      $0.rateRiseLimitCelsiusPerSecond = .infinity
      $0.disagreementCelsius = 1000
      $0.removeAllLimitRules()
    }
    let schedule = [
      CampaignFault(kind: "open", target: "plate", atNanoseconds: 600_000_000_000, value: nil),
      CampaignFault(
        kind: "coolant-lost", target: "plant", atNanoseconds: 1_500_000_000_000, value: nil),
    ]
    #expect(!CampaignRun.check(profile, schedule: schedule, adjust: broken).isEmpty)
    #expect(CampaignRun.shrink(profile, schedule: schedule, adjust: broken) == [schedule[0]])
  }

  @Test func schedulesAreDrawnFromTheSeedAndReadBack() throws {
    let profile = try profile()
    let first = FaultSchedule.draw(seed: 42, run: 7, profile: profile)
    #expect(first == FaultSchedule.draw(seed: 42, run: 7, profile: profile))
    #expect(first != FaultSchedule.draw(seed: 43, run: 7, profile: profile))
    #expect((1...3).contains(first.count))
    let line = FaultSchedule.format(first)
    let parsed = try FaultSchedule.parse(line, profile: profile)
    #expect(FaultSchedule.format(parsed) == line)
  }

  @Test func theCommandLineRunsAndReplays() {
    let path = repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json").path
    let campaign = devsim(["campaign", path, "--runs", "20", "--seed", "5"])
    #expect(campaign.code == 0)
    #expect(campaign.output.hasSuffix("20 passed, 0 failed\n"))
    let replay = devsim(["campaign", path, "--schedule", "open:fat-10mm@600.0"])
    #expect(replay.code == 0)
    #expect(devsim(["campaign", path, "--schedule", "melt:fat-10mm@600"]).code == 64)
  }
}
