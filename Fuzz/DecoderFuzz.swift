// The fuzz targets of devsim's file readers: profiles and board files (the project's JSON
// parser and the strict decoders on it), traces, and telemetry read back for plotting.
//
// Each decodes the bytes as a file of its kind would be; a refusal is a thrown error, whose
// text is built too (it quotes the input). What a reader accepts goes on to what the tool
// does next with it, so a value the reader lets through cannot trap there either.

import DevsimKit

/// A profile: JSON syntax, then the profile, plant, fault and safety decoders.
func fuzzProfile(_ bytes: [UInt8]) {
  do {
    let profile = try ProfileDecoder.decode(bytes, file: "fuzz.json")
    _ = profile.name
  } catch {
    _ = "\(error)"
  }
}

/// A board file: JSON syntax, then the board decoder (paths, lines, sensors, stages).
func fuzzBoard(_ bytes: [UInt8]) {
  do {
    _ = try BoardDecoder.decode(bytes, file: "fuzz.json")
  } catch {
    _ = "\(error)"
  }
}

/// The sensors of the shipped cryolipolysis profiles, which the shipped traces record.
private let traceSensors = ["plate", "plate-b", "skin", "fat-7mm", "heatsink"]

/// A trace for replay, minimal or devsim's own telemetry CSV.
func fuzzTrace(_ bytes: [UInt8]) {
  do throws(KitError) {
    _ = try Trace.parse(bytes, path: "fuzz.csv", sensors: traceSensors)
  } catch {
    _ = error.description
  }
}

/// Telemetry (CSV or JSON Lines) read back, then drawn as `devsim plot` would.
func fuzzTelemetry(_ bytes: [UInt8]) {
  do throws(KitError) {
    let series = try TelemetryFile.parse(bytes, path: "fuzz.csv")
    _ = RunPlot.svg(series)
  } catch {
    _ = error.description
  }
}
