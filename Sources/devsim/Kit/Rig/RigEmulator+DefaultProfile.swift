import ThermalLoop

extension RigEmulator {
  /// The standard cryolipolysis treatment, `Profiles/cryolipolysis-35min.json`
  /// (a copy; a test checks it against the file): `devsim rig` without a
  /// profile serves its plant and its five channels, plate, plate-b, skin,
  /// fat-7mm and heatsink, so `devsim run Profiles/cryolipolysis-35min.json
  /// --rig …` finds every sensor it maps by name.
  package static let defaultProfileJSON = """
    {
      "schemaVersion": 1,
      "name": "cryolipolysis-35min",
      "description": "Standard cryolipolysis cycle: plate held at -12 °C (window -13 … -11 °C) for 35 minutes, then a 2-minute rewarm. Vacuum cup: perfusion at 30 % of nominal.",
      "verifies": ["REQ-CRYO-WINDOW", "REQ-NO-FALSE-TRIP"],
      "mode": "cryolipolysis",
      "seed": 1,
      "tickRate": 10,
      "window": { "low": -13, "high": -11 },
      "phases": [
        { "name": "cool-and-hold", "kind": "treatment", "setpoint": -12, "duration": "35m" },
        { "name": "rewarm", "kind": "transition", "setpoint": 5, "duration": "2m", "ramp": 0.5 }
      ],
      "controller": { "kp": 0.3, "ki": 0.01, "kd": 0, "derivativeFilter": "2s", "outputLow": -1, "outputHigh": 0.5 },
      "sensors": [
        { "name": "plate", "location": "plate", "role": "control", "lag": "0.5s", "noiseRms": 0.02, "resolution": 0.01, "period": "100ms" },
        { "name": "plate-b", "location": "plate", "role": "redundant", "lag": "0.8s", "noiseRms": 0.03, "resolution": 0.01, "period": "100ms" },
        { "name": "skin", "location": "tissue", "depthMm": 0, "lag": "1s", "noiseRms": 0.02, "resolution": 0.01, "period": "100ms" },
        { "name": "fat-7mm", "location": "tissue", "depthMm": 7, "role": "monitor", "dose": true, "lag": "1s", "noiseRms": 0.02, "resolution": 0.01, "period": "100ms" },
        { "name": "heatsink", "location": "hot-side", "lag": "1s", "noiseRms": 0.05, "resolution": 0.1, "period": "500ms" }
      ],
      "plant": { "perfusionScale": 0.3, "initialPlate": 25 },
      "expect": { "trip": null, "timeInWindowAtLeast": 0.95 }
    }
    """

  /// The standard cryolipolysis treatment's profile (``defaultProfileJSON``).
  package static func defaultProfile() throws -> Profile {
    try ProfileDecoder.decode(
      Array(defaultProfileJSON.utf8), file: "Profiles/cryolipolysis-35min.json")
  }
}
