import ApplicatorHAL
import ApplicatorSimulation
import Foundation
import TestSupport
import Testing

// Tests of the bioheat column against the closed forms of physics.md
// ("Closed forms to test a 1-D solver against") and against energy
// balance. Every expected value is computed here from the configuration,
// never from the column's own output.

// MARK: - Closed forms

/// e^(z²)·erfc(z) for z ≥ 0 (the scaled complementary error function):
/// Foundation's `erfc` for moderate z, the continued fraction
/// erfc z = e^(−z²)/√π · 1/(z + (1/2)/(z + (2/2)/(z + (3/2)/(z + …))))
/// beyond, where e^(z²) would overflow and erfc underflow. At z = 4 a
/// 60-level fraction is accurate to round-off (checked against `erfc` below).
private func scaledErfc(_ z: Double) -> Double {
  if z < 4 { return Foundation.exp(z * z) * erfc(z) }
  var fraction = z
  var n = 60.0
  while n >= 1 {
    fraction = z + (n / 2) / fraction
    n -= 1
  }
  return 1 / (Double.pi.squareRoot() * fraction)
}

/// e^a·erfc(b), stably: e^(a − b²)·erfcx(b) for b ≥ 0 (both factors stay finite).
private func expTimesErfc(_ a: Double, _ b: Double) -> Double {
  if b < 0 { return Foundation.exp(a) * erfc(b) }
  return Foundation.exp(a - b * b) * scaledErfc(b)
}

/// A semi-infinite solid of uniform properties, initially at `initialCelsius`.
private struct SemiInfinite {
  /// Thermal conductivity, W/(m·K).
  let k: Double
  /// Diffusivity k/(ρc), m²/s.
  let alpha: Double
  let initialCelsius: Double

  init(_ tissue: TissueProperties, initialCelsius: Double) {
    k = tissue.conductivityWattsPerMetreKelvin
    alpha = k / tissue.volumetricHeatCapacity
    self.initialCelsius = initialCelsius
  }

  /// Closed form 1: T = Ts + (Ti − Ts)·erf(x / (2√(αt))).
  func surfaceStep(surfaceCelsius: Double, depth x: Double, seconds t: Double) -> Double {
    surfaceCelsius + (initialCelsius - surfaceCelsius) * erf(x / (2 * (alpha * t).squareRoot()))
  }

  /// Closed form 2: (T − Ti)/(T∞ − Ti) = erfc(η) − e^(hx/k + h²αt/k²)·erfc(η + h√(αt)/k).
  func convective(
    coefficient h: Double, fluidCelsius: Double, depth x: Double, seconds t: Double
  ) -> Double {
    let root = (alpha * t).squareRoot()
    let eta = x / (2 * root)
    let ratio =
      erfc(eta) - expTimesErfc(h * x / k + h * h * alpha * t / (k * k), eta + h * root / k)
    return initialCelsius + (fluidCelsius - initialCelsius) * ratio
  }

  /// Closed form 3: T = Ti − (2q/k)·√(αt/π)·e^(−x²/(4αt)) + (q·x/k)·erfc(x/(2√(αt))).
  func extractedFlux(wattsPerSquareMetre q: Double, depth x: Double, seconds t: Double) -> Double {
    let root = (alpha * t).squareRoot()
    return initialCelsius - 2 * q / k * (alpha * t / Double.pi).squareRoot()
      * Foundation.exp(-x * x / (4 * alpha * t)) + q * x / k * erfc(x / (2 * root))
  }
}

/// Fat as physics.md's closed forms need it: no metabolism.
private var inertFat: TissueProperties {
  var fat = TissueProperties.fat
  fat.metabolicWattsPerKilogram = 0
  return fat
}

/// A column that is fat all the way down (skin and muscle given fat's
/// properties), unperfused, without metabolism, uniformly at `initialCelsius`
/// (surface, core and blood all at it, so the initial linear profile is flat).
///
/// The default grid (0.25 mm cells in the top 2 mm, 0.5 mm in the fat, 1 mm
/// in the muscle) over 2 + 90 + 20 mm is 8 + 180 + 20 tissue cells, 210
/// nodes: within the 256, so no layer needs a growing grid. The bottom, at
/// 112 mm, is more than 4√(αt) = 75 mm below the surface at t = 60 min: the
/// held core boundary moves the checked depths (≤ 20 mm) by less than
/// ΔT·erfc((2·112 − 20) mm / (2√(αt))) ≈ 1e-12 °C.
private func fatColumn(
  surface: SurfaceBoundary, initialCelsius: Double, fatThicknessMetres: Double = 0.090,
  muscleThicknessMetres: Double = 0.020
) -> PlantConfiguration {
  var configuration = PlantConfiguration()
  configuration.skin = inertFat
  configuration.fat = inertFat
  configuration.muscle = inertFat
  configuration.perfusionScale = 0
  configuration.fatThicknessMetres = fatThicknessMetres
  configuration.muscleThicknessMetres = muscleThicknessMetres
  configuration.initialSkinCelsius = initialCelsius
  configuration.coreCelsius = initialCelsius
  configuration.arterialCelsius = initialCelsius
  configuration.surface = surface
  return configuration
}

/// The largest error of the column against a reference, at named depths
/// (read with `temperature(at:)`, which interpolates between cell centres)
/// and at every cell centre down to `deepestMetres`.
private func largestError(
  _ column: TissueColumn, depths: [Double], deepestMetres: Double,
  reference: (Double) -> Double
) -> Double {
  var worst = 0.0
  for depth in depths {
    worst = max(worst, abs(column.temperature(at: .depth(metres: depth)) - reference(depth)))
  }
  for node in TissueColumn.firstTissueNode..<column.nodeCount
  where column.centreMetres(node) <= deepestMetres {
    let depth = column.centreMetres(node)
    worst = max(worst, abs(column.celsius(ofNode: node) - reference(depth)))
  }
  return worst
}

private let millimetre = 1e-3
private let minute = 60.0
/// Depths at which the transient closed forms are checked.
private let checkedDepths = [1.0, 2, 5, 10, 15, 20].map { $0 * millimetre }
/// The acceptance tolerance against the closed forms at the default grid
/// and time step (cells 0.25/0.5/1 mm, dt = 0.1 s), °C.
private let closedFormTolerance = 0.05

/// Runs a column at the default step for 60 min and returns its largest
/// error against `reference(depth, seconds)` at 10, 30 and 60 min, and the
/// column. Checks on the way that the energy books balance (the open-loop
/// surface boundaries are booked as `surfaceJoules`).
private func transientErrors(
  _ configuration: PlantConfiguration, reference: (Double, Double) -> Double
) -> (errors: [Double], column: TissueColumn) {
  var column = TissueColumn(configuration: configuration, maximumStepSeconds: 0.1)
  #expect(column.nodeCount == TissueColumn.nodeCount(for: configuration))
  #expect(column.gridFitted)
  let stored = column.storedJoules
  var elapsed = 0.0
  var errors: [Double] = []
  for checkpoint in [10 * minute, 30 * minute, 60 * minute] {
    while elapsed < checkpoint {
      column.step(seconds: minute, tecCurrentAmperes: 0, laserFraction: 0)
      elapsed += minute
    }
    errors.append(
      largestError(column, depths: checkedDepths, deepestMetres: 20 * millimetre) {
        reference($0, elapsed)
      })
  }
  let ledger = column.energy
  #expect(ledger.surfaceJoules < 0)
  #expect(abs(ledger.netJoules - (column.storedJoules - stored)) <= 1e-6 * ledger.absoluteJoules)
  return (errors, column)
}

// MARK: - Reference values for the applicator (ported from the TissuePlant tests)

/// Layers in series with the contact conductance: physics.md item 5.
private struct SeriesColumn {
  let configuration: PlantConfiguration

  var layers: [(k: Double, thickness: Double)] {
    [
      (configuration.skin.conductivityWattsPerMetreKelvin, configuration.skinThicknessMetres),
      (configuration.fat.conductivityWattsPerMetreKelvin, configuration.fatThicknessMetres),
      (configuration.muscle.conductivityWattsPerMetreKelvin, configuration.muscleThicknessMetres),
    ]
  }
  var totalDepth: Double { layers.reduce(0) { $0 + $1.thickness } }

  /// The heat flux (W/m², from the core toward the surface): ΔT over the
  /// sum of the surface resistance (1/h, 0 for a held surface) and each L/k.
  func flux(surfaceCelsius: Double, surfaceResistance: Double) -> Double {
    let resistance = layers.reduce(surfaceResistance) { $0 + $1.thickness / $1.k }
    return (configuration.coreCelsius - surfaceCelsius) / resistance
  }

  /// The steady profile: linear inside each layer, slope q/k.
  func profile(surfaceCelsius: Double, surfaceResistance: Double, depth x: Double) -> Double {
    let q = flux(surfaceCelsius: surfaceCelsius, surfaceResistance: surfaceResistance)
    var t = surfaceCelsius + q * surfaceResistance
    var top = 0.0
    for layer in layers {
      if x <= top + layer.thickness { return t + q * (x - top) / layer.k }
      t += q * layer.thickness / layer.k
      top += layer.thickness
    }
    return t
  }
}

private func withoutMetabolism(_ tissue: TissueProperties) -> TissueProperties {
  var tissue = tissue
  tissue.metabolicWattsPerKilogram = 0
  return tissue
}

/// The laser applicator (plate held at the contact-cooling temperature), no
/// metabolism: the steady states below are those of conduction (and perfusion).
private func laserConfiguration(perfusionScale: Double) -> PlantConfiguration {
  var configuration = PlantConfiguration()
  configuration.perfusionScale = perfusionScale
  configuration.drive = .laserWithContactCooling(LaserParameters())
  configuration.skin = withoutMetabolism(.skin)
  configuration.fat = withoutMetabolism(.fat)
  configuration.muscle = withoutMetabolism(.muscle)
  return configuration
}

private var coolingPlateCelsius: Double { LaserParameters().coolingPlateCelsius }

/// Backward Euler's fixed point is the steady state and the scheme is
/// L-stable, so large steps converge to it: the slowest mode of a 42 mm
/// unperfused column has τ = D²/(π²α) of at most a few thousand seconds
/// (the TEC's heatsink: 24 s), and 2000 steps of 1e4 s damp the start-up
/// transient by more than (1/2)^2000.
private func settled(
  _ configuration: PlantConfiguration, tecCurrent: Double = 0, laser: Double = 0
) -> TissueColumn {
  var column = TissueColumn(configuration: configuration, maximumStepSeconds: 1e4)
  column.step(seconds: 2e7, tecCurrentAmperes: tecCurrent, laserFraction: laser)
  return column
}

/// One tissue cell's coefficients, from the configuration and the cell's
/// thickness (the grid itself is checked against the configuration in
/// `gridCoversLayers`).
private struct Cell {
  var capacity: Double  // J/K
  var perfusion: Double  // W/K to arterial blood
  var metabolic: Double  // W
  var thickness: Double  // m
  var conductivity: Double  // W/(m·K)
}

private func properties(_ configuration: PlantConfiguration, _ layer: TissueLayer)
  -> TissueProperties
{
  switch layer {
  case .skin: configuration.skin
  case .fat: configuration.fat
  case .muscle: configuration.muscle
  }
}

private func cells(_ column: TissueColumn) -> [Cell] {
  let configuration = column.configuration
  let area = configuration.areaSquareMetres
  let blood = TissueProperties.blood.volumetricHeatCapacity
  return (TissueColumn.firstTissueNode..<column.nodeCount).map { node in
    let tissue = properties(configuration, column.layer(node))
    let dz = column.thicknessMetres(node)
    return Cell(
      capacity: tissue.volumetricHeatCapacity * dz * area,
      perfusion: tissue.perfusionPerSecond * configuration.perfusionScale * blood * dz * area,
      metabolic: tissue.metabolicWattsPerKilogram * tissue.densityKilogramsPerCubicMetre * dz
        * area,
      thickness: dz, conductivity: tissue.conductivityWattsPerMetreKelvin)
  }
}

private func temperatures(_ column: TissueColumn) -> [Double] {
  (0..<column.nodeCount).map { column.celsius(ofNode: $0) }
}

/// The TEC current of a cryolipolysis-like treatment at time t (s): a full
/// pull-down, a setpoint-hunting oscillation, a short reverse (rewarming)
/// pulse, then a steady hold.
private func treatmentCurrent(atSeconds t: Double) -> Double {
  switch t {
  case ..<(4 * minute): 6
  case ..<(20 * minute): 3 + 2 * Foundation.sin(2 * Double.pi * t / 90)
  case ..<(22 * minute): -2.5
  default: 4 - 0.5 * Foundation.cos(2 * Double.pi * t / 300)
  }
}

/// A laser treatment's command at time t (s): a ramp, then on/off cycling.
private func laserCommand(atSeconds t: Double) -> Double {
  if t < 4 * minute { return t / (4 * minute) }
  return Int(t / 20).isMultiple(of: 3) ? 0.2 : 0.9
}

/// A grid and layer thicknesses for `gridCoversLayers`.
struct ColumnGridCase: Sendable, CustomTestStringConvertible {
  var name: String
  var skin: LayerGrid
  var fat: LayerGrid
  var muscle: LayerGrid
  var skinMetres: Double
  var fatMetres: Double
  var muscleMetres: Double

  var testDescription: String { name }

  static let all = [
    ColumnGridCase(
      name: "default", skin: LayerGrid(firstCellMetres: 0.25e-3),
      fat: LayerGrid(firstCellMetres: 0.5e-3), muscle: LayerGrid(firstCellMetres: 1e-3),
      skinMetres: 0.002, fatMetres: 0.020, muscleMetres: 0.020),
    ColumnGridCase(
      name: "uniform, thicknesses not multiples of the cells",
      skin: LayerGrid(firstCellMetres: 0.1e-3), fat: LayerGrid(firstCellMetres: 0.3e-3),
      muscle: LayerGrid(firstCellMetres: 0.7e-3), skinMetres: 0.0021, fatMetres: 0.0173,
      muscleMetres: 0.031),
    ColumnGridCase(
      name: "growing fat and muscle", skin: LayerGrid(firstCellMetres: 0.25e-3),
      fat: LayerGrid(firstCellMetres: 0.5e-3, growth: 1.1, maximumCellMetres: 2e-3),
      muscle: LayerGrid(firstCellMetres: 1e-3, growth: 1.3, maximumCellMetres: 8e-3),
      skinMetres: 0.003, fatMetres: 0.040, muscleMetres: 0.100),
    ColumnGridCase(
      name: "growing everywhere",
      skin: LayerGrid(firstCellMetres: 0.05e-3, growth: 1.05, maximumCellMetres: 0.2e-3),
      fat: LayerGrid(firstCellMetres: 0.2e-3, growth: 1.02, maximumCellMetres: 0.5e-3),
      muscle: LayerGrid(firstCellMetres: 0.5e-3, growth: 1.5, maximumCellMetres: 10e-3),
      skinMetres: 0.001, fatMetres: 0.030, muscleMetres: 0.060),
  ]
}

// MARK: - Tests

@Suite("TissueColumn", .tags(.physics))
struct TissueColumnTests {
  // MARK: Closed forms at the default grid and time step

  @Test("the scaled erfc helper agrees with Foundation's erfc where both are finite")
  func scaledErfcHelper() {
    for z in [0.0, 0.5, 2, 3.9, 4, 4.5, 6, 10, 20] {
      let direct = Foundation.exp(z * z) * erfc(z)
      var fraction = z
      var n = 60.0
      while n >= 1 {
        fraction = z + (n / 2) / fraction
        n -= 1
      }
      let continued = 1 / (Double.pi.squareRoot() * fraction)
      // Both forms at each z ≥ 2: the continued fraction has converged there.
      if z >= 2 { #expect(abs(continued / direct - 1) < 1e-12, "z = \(z)") }
      #expect(abs(scaledErfc(z) / direct - 1) < 1e-12, "z = \(z)")
    }
    // Far out, erfcx(z) → 1/(z√π)·(1 − 1/(2z²)).
    let z = 1e4
    #expect(abs(scaledErfc(z) * z * Double.pi.squareRoot() - (1 - 0.5 / (z * z))) < 1e-15)
    // e^a·erfc(b) where e^a alone overflows.
    #expect(expTimesErfc(800, 30).isFinite)
    #expect(abs(expTimesErfc(1, 1) - Foundation.exp(1) * erfc(1)) < 1e-15)
  }

  @Test("closed form 1, step in surface temperature: physics.md's fat values")
  func surfaceStepReferenceValues() {
    // Fat, Ti = 35, Ts = −11, t = 60 min: x = 5 mm → −4.14 °C, 10 mm → 2.49 °C
    // (quoted to 0.01 °C), with α = 9.8175e-8 m²/s.
    let solid = SemiInfinite(.fat, initialCelsius: 35)
    #expect(abs(solid.alpha - 9.8175e-8) < 0.0001e-8)
    let hour = 60 * minute
    #expect(abs(solid.surfaceStep(surfaceCelsius: -11, depth: 0.005, seconds: hour) + 4.14) < 0.005)
    #expect(abs(solid.surfaceStep(surfaceCelsius: -11, depth: 0.010, seconds: hour) - 2.49) < 0.005)
  }

  @Test("closed form 1: a held surface temperature, fat column, default grid and step")
  func surfaceStep() {
    // Ti = 35, Ts = −11 (physics.md's case). Model at 60 min, 5 mm and 10 mm:
    // physics.md's −4.14 and 2.49 °C are covered by the depth list.
    let solid = SemiInfinite(inertFat, initialCelsius: 35)
    let configuration = fatColumn(surface: .heldTemperature(celsius: -11), initialCelsius: 35)
    let (errors, _) = transientErrors(configuration) { depth, seconds in
      solid.surfaceStep(surfaceCelsius: -11, depth: depth, seconds: seconds)
    }
    for error in errors { #expect(error < closedFormTolerance) }
  }

  @Test("closed form 2: a convective surface, fat column, default grid and step")
  func convectiveSurface() {
    // h = 200 W/(m²·K) to a −11 °C fluid: h√(αt)/k reaches 18 at 60 min, so
    // e^(hx/k + h²αt/k²) alone reaches e^340: the scaled erfc keeps it finite.
    let h = 200.0
    let fluid = -11.0
    let solid = SemiInfinite(inertFat, initialCelsius: 35)
    let configuration = fatColumn(
      surface: .convective(wattsPerSquareMetreKelvin: h, fluidCelsius: fluid), initialCelsius: 35)
    let (errors, _) = transientErrors(configuration) { depth, seconds in
      solid.convective(coefficient: h, fluidCelsius: fluid, depth: depth, seconds: seconds)
    }
    for error in errors { #expect(error < closedFormTolerance) }
  }

  @Test("closed form 3: a constant extracted flux, fat column, default grid and step")
  func extractedFlux() {
    // CIF 42 ≈ 73 mW/cm² = 730 W/m² (physics.md): the surface falls by
    // (2q/k)·√(αt/π) ≈ 74 K in 60 min (no freezing in this configuration).
    let q = 730.0
    let solid = SemiInfinite(inertFat, initialCelsius: 35)
    let configuration = fatColumn(
      surface: .extractedFlux(wattsPerSquareMetre: q), initialCelsius: 35)
    let (errors, column) = transientErrors(configuration) { depth, seconds in
      solid.extractedFlux(wattsPerSquareMetre: q, depth: depth, seconds: seconds)
    }
    // The flux is booked exactly: q·A·t out of the surface.
    let extracted = q * configuration.areaSquareMetres * 60 * minute
    #expect(abs(column.energy.surfaceJoules + extracted) < 1e-9 * extracted)
    for error in errors { #expect(error < closedFormTolerance) }
  }

  @Test("closed form 4: Pennes steady state, T = Ta + (T0 − Ta)·exp(−x/L)")
  func pennesSteadyState() {
    // Perfused fat, no metabolism, surface held at T0 = −11 °C, blood and
    // core at Ta = 37 °C. L = √(k/(w_b·ρ_b·c_b)) = 10.5 mm; the core, 112 mm
    // down, differs from the semi-infinite solution by
    // (T0 − Ta)·e^(−(2D − x)/L) < 1e-6 °C at x ≤ 30 mm.
    var configuration = fatColumn(surface: .heldTemperature(celsius: -11), initialCelsius: 37)
    configuration.perfusionScale = 1
    let fat = inertFat
    let length =
      (fat.conductivityWattsPerMetreKelvin
      / (fat.perfusionPerSecond * TissueProperties.blood.volumetricHeatCapacity)).squareRoot()
    #expect(abs(length - 0.01052) < 0.00001)  // physics.md: L is 7–14 mm
    // Perfusion damps every mode at least at w_b·ρ_b·c_b/(ρc) = 1/(1127 s);
    // a backward-Euler step of 1e4 s shrinks each by ≥ 9.8×: 100 steps settle it.
    var column = TissueColumn(configuration: configuration, maximumStepSeconds: 1e4)
    column.step(seconds: 1e6, tecCurrentAmperes: 0, laserFraction: 0)
    let depths = [1.0, 2, 5, 10, 15, 20, 30].map { $0 * millimetre }
    let error = largestError(column, depths: depths, deepestMetres: 30 * millimetre) { x in
      37 + (-11 - 37) * Foundation.exp(-x / length)
    }
    #expect(error < closedFormTolerance)
  }

  @Test("closed form 5: two layers in series, steady, no perfusion: q = ΔT/(L1/k1 + L2/k2)")
  func twoLayersInSeries() {
    // Skin (2 mm, k = 0.372) over fat (20 mm of fat and 20 mm of muscle
    // given fat's properties: one 40 mm layer, k = 0.21), surface held at
    // −11 °C, core at 37 °C, no perfusion, no metabolism.
    var configuration = PlantConfiguration()
    configuration.skin = withoutMetabolism(.skin)
    configuration.fat = inertFat
    configuration.muscle = inertFat
    configuration.perfusionScale = 0
    configuration.surface = .heldTemperature(celsius: -11)
    let skin = (k: TissueProperties.skin.conductivityWattsPerMetreKelvin, thickness: 0.002)
    let fat = (k: TissueProperties.fat.conductivityWattsPerMetreKelvin, thickness: 0.040)
    let q = (37.0 - -11.0) / (skin.thickness / skin.k + fat.thickness / fat.k)
    func profile(_ x: Double) -> Double {
      x <= skin.thickness
        ? -11 + q * x / skin.k
        : -11 + q * skin.thickness / skin.k + q * (x - skin.thickness) / fat.k
    }
    let column = settled(configuration)
    // The finite-volume scheme (half-cell resistances in series) is exact for
    // a piecewise-linear profile: only round-off separates it from the closed form.
    let tolerance = 1e-9
    var worst = 0.0
    for node in TissueColumn.firstTissueNode..<column.nodeCount {
      worst = max(worst, abs(column.celsius(ofNode: node) - profile(column.centreMetres(node))))
    }
    #expect(worst < tolerance)
    // The flux through the top half-cell is q.
    let top = TissueColumn.firstTissueNode
    let modelFlux =
      skin.k * (column.celsius(ofNode: top) - -11) / (column.thicknessMetres(top) / 2)
    #expect(abs(modelFlux / q - 1) < 1e-9)
    // Between centres of one layer (not across the skin–fat kink at 2 mm),
    // and from the held surface to the first centre, interpolation is exact too.
    for depth in [0.0, 0.5, 1.0, 1.8, 3, 10, 25, 41].map({ $0 * millimetre }) {
      #expect(abs(column.temperature(at: .depth(metres: depth)) - profile(depth)) < tolerance)
    }
  }

  // MARK: Convergence

  /// The column of the refinement study: fat throughout, 2 + 8 + 39 mm, the
  /// default cell sizes divided by `2^level`. At level 2 that is 32 + 64 +
  /// 156 tissue cells, 254 nodes (uniform grids everywhere, so every cell is
  /// halved at each level). The bottom, 49 mm down, is > 6√(αt) below the
  /// surface at 10 min: its effect at ≤ 15 mm is < 1e-12 °C.
  private static func refined(_ surface: SurfaceBoundary, level: Int) -> PlantConfiguration {
    var configuration = fatColumn(
      surface: surface, initialCelsius: 35, fatThicknessMetres: 0.008,
      muscleThicknessMetres: 0.039)
    let scale = 1 / Double(1 << level)
    configuration.skinGrid = LayerGrid(firstCellMetres: 0.25e-3 * scale)
    configuration.fatGrid = LayerGrid(firstCellMetres: 0.5e-3 * scale)
    configuration.muscleGrid = LayerGrid(firstCellMetres: 1e-3 * scale)
    return configuration
  }

  @Test(
    "refining cells and time step together shrinks the error (10 min, 2–15 mm)",
    arguments: ["held surface", "extracted flux"])
  func refinement(boundary: String) {
    // Run to t = 10 min only (the finest level takes 24 000 steps of 254
    // nodes; kept short for the debug build `swift test` uses). Backward
    // Euler is first order in time and the cell-centred scheme second order
    // in space, so halving both should divide the error by 2 to 4.
    let solid = SemiInfinite(inertFat, initialCelsius: 35)
    let surface: SurfaceBoundary =
      boundary == "held surface"
      ? .heldTemperature(celsius: -11) : .extractedFlux(wattsPerSquareMetre: 730)
    let t = 10 * minute
    func reference(_ x: Double) -> Double {
      switch surface {
      case .extractedFlux(let q): solid.extractedFlux(wattsPerSquareMetre: q, depth: x, seconds: t)
      default: solid.surfaceStep(surfaceCelsius: -11, depth: x, seconds: t)
      }
    }
    var errors: [Double] = []
    for level in 0...2 {
      let configuration = Self.refined(surface, level: level)
      #expect(TissueColumn.nodeCount(for: configuration) <= maximumColumnNodes)
      var column = TissueColumn(
        configuration: configuration, maximumStepSeconds: 0.1 / Double(1 << level))
      #expect(column.gridFitted)
      column.step(seconds: t, tecCurrentAmperes: 0, laserFraction: 0)
      errors.append(
        largestError(
          column, depths: [2, 5, 10, 15].map { $0 * millimetre }, deepestMetres: 15 * millimetre,
          reference: reference))
    }
    #expect(errors[0] < closedFormTolerance)
    for level in 1...2 {
      #expect(errors[level - 1] / errors[level] >= 1.5, "level \(level): \(errors)")
    }
  }

  // MARK: Energy balance

  @Test(
    "energy balance over a 35 min TEC treatment, perfusion and metabolism on",
    arguments: [0.0, 0.02])
  func treatmentEnergyBalance(perfusionCoefficient: Double) {
    // Freezing is left out: the time-lagged apparent heat capacity does not
    // conserve energy (EnergyLedger's documentation), so the books would not
    // balance to round-off. A non-zero perfusion coefficient runs the
    // general (Thomas) path instead of the factored one.
    var configuration = PlantConfiguration()
    configuration.perfusionScale = 0.6
    configuration.perfusionTemperatureCoefficientPerKelvin = perfusionCoefficient
    var column = TissueColumn(configuration: configuration, maximumStepSeconds: 0.1)
    let before = column.storedJoules
    for second in 0..<(35 * 60) {
      column.step(
        seconds: 1, tecCurrentAmperes: treatmentCurrent(atSeconds: Double(second)),
        laserFraction: 0)
    }
    let change = column.storedJoules - before
    let ledger = column.energy
    #expect(abs(change) > 1000)  // the treatment moved heat
    #expect(ledger.perfusionJoules > 0 && ledger.metabolicJoules > 0)
    #expect(ledger.thermoelectricJoules > 0)
    #expect(abs(ledger.netJoules - change) <= 1e-6 * ledger.absoluteJoules)
  }

  @Test("energy balance over a 25 min laser treatment with contact cooling")
  func laserTreatmentEnergyBalance() {
    var configuration = PlantConfiguration()
    configuration.drive = .laserWithContactCooling(LaserParameters())
    configuration.perfusionScale = 0.8
    var column = TissueColumn(configuration: configuration, maximumStepSeconds: 0.1)
    let before = column.storedJoules
    for second in 0..<(25 * 60) {
      column.step(
        seconds: 1, tecCurrentAmperes: 0, laserFraction: laserCommand(atSeconds: Double(second)))
    }
    let change = column.storedJoules - before
    let ledger = column.energy
    #expect(ledger.laserJoules > 1000)
    #expect(ledger.surfaceJoules < 0)  // the contact plate cools
    #expect(abs(ledger.netJoules - change) <= 1e-6 * ledger.absoluteJoules)
  }

  @Test("energy balance of a TEC step, every flow computed from the configuration")
  func tecStepEnergyBalance() {
    var configuration = PlantConfiguration()
    configuration.perfusionScale = 0.5
    let tec = TECParameters()
    var column = TissueColumn(configuration: configuration, maximumStepSeconds: 10)
    let before = temperatures(column)
    let dt = 1.0
    let current = 4.0
    column.step(seconds: dt, tecCurrentAmperes: current, laserFraction: 0)
    let after = temperatures(column)
    let layout = cells(column)
    let area = configuration.areaSquareMetres
    var stored =
      tec.heatsinkCapacityJoulesPerKelvin * (after[0] - before[0])
      + configuration.plateHeatCapacityJoulesPerKelvin * (after[1] - before[1])
    var perfusion = 0.0
    var metabolic = 0.0
    for (offset, cell) in layout.enumerated() {
      let node = TissueColumn.firstTissueNode + offset
      stored += cell.capacity * (after[node] - before[node])
      perfusion += cell.perfusion * (configuration.arterialCelsius - after[node])
      metabolic += cell.metabolic
    }
    let last = layout[layout.count - 1]
    let core =
      area / (last.thickness / (2 * last.conductivity))
      * (configuration.coreCelsius - after[column.nodeCount - 1])
    let coolant = (tec.coolantCelsius - after[0]) / tec.heatsinkResistanceKelvinPerWatt
    let ambient =
      configuration.plateAmbientConductanceWattsPerKelvin
      * (configuration.ambientCelsius - after[1])
    // Electrical power V·I = S·I·(T_h − T_c) + I²·R (the kelvin offsets cancel).
    let electrical =
      current * current * tec.resistanceOhms
      + tec.seebeckVoltsPerKelvin * current * (after[0] - after[1])
    let heatIn = dt * (coolant + ambient + core + perfusion + metabolic + electrical)
    #expect(abs(stored) > 1)  // the step did something
    #expect(abs(stored - heatIn) < 1e-8, "stored \(stored) J, in \(heatIn) J")
    // The ledger books the same flows.
    let ledger = column.energy
    #expect(abs(ledger.coreJoules - dt * core) < 1e-9)
    #expect(abs(ledger.perfusionJoules - dt * perfusion) < 1e-9)
    #expect(abs(ledger.metabolicJoules - dt * metabolic) < 1e-9)
    #expect(abs(ledger.coolantJoules - dt * coolant) < 1e-9)
    #expect(abs(ledger.ambientJoules - dt * ambient) < 1e-9)
    #expect(abs(ledger.thermoelectricJoules - dt * electrical) < 1e-9)
    #expect(ledger.laserJoules == 0 && ledger.surfaceJoules == 0)
  }

  @Test("energy balance of a laser step: absorbed light is 1 − exp(−Σμ·L) of the input")
  func laserStepEnergyBalance() {
    var configuration = laserConfiguration(perfusionScale: 1)
    configuration.initialSkinCelsius = 30
    configuration.skin.metabolicWattsPerKilogram = 1
    let laser = LaserParameters()
    var column = TissueColumn(configuration: configuration, maximumStepSeconds: 10)
    let before = temperatures(column)
    let dt = 2.0
    let fraction = 0.7
    column.step(seconds: dt, tecCurrentAmperes: 0, laserFraction: fraction)
    let after = temperatures(column)
    let layout = cells(column)
    let area = configuration.areaSquareMetres
    var stored = 0.0
    var perfusion = 0.0
    var metabolic = 0.0
    for (offset, cell) in layout.enumerated() {
      let node = TissueColumn.firstTissueNode + offset
      stored += cell.capacity * (after[node] - before[node])
      perfusion += cell.perfusion * (configuration.arterialCelsius - after[node])
      metabolic += cell.metabolic
    }
    let first = layout[0]
    let topConductance =
      area
      / (1 / configuration.contactConductanceWattsPerSquareMetreKelvin + first.thickness
        / (2 * first.conductivity))
    let top = topConductance * (laser.coolingPlateCelsius - after[TissueColumn.firstTissueNode])
    let last = layout[layout.count - 1]
    let core =
      area / (last.thickness / (2 * last.conductivity))
      * (configuration.coreCelsius - after[column.nodeCount - 1])
    let opticalDepth =
      configuration.skin.attenuationPerMetre * configuration.skinThicknessMetres
      + configuration.fat.attenuationPerMetre * configuration.fatThicknessMetres
      + configuration.muscle.attenuationPerMetre * configuration.muscleThicknessMetres
    let absorbed =
      fraction * laser.maximumIrradianceWattsPerSquareMetre * laser.absorbedFraction * area
      * (1 - Foundation.exp(-opticalDepth))
    let heatIn = dt * (top + core + perfusion + metabolic + absorbed)
    #expect(abs(stored) > 1)
    #expect(abs(stored - heatIn) < 1e-8, "stored \(stored) J, in \(heatIn) J")
    let ledger = column.energy
    #expect(abs(ledger.laserJoules - dt * absorbed) < 1e-9)
    #expect(abs(ledger.surfaceJoules - dt * top) < 1e-9)
    #expect(abs(ledger.metabolicJoules - dt * metabolic) < 1e-12)
    #expect(ledger.thermoelectricJoules == 0 && ledger.coolantJoules == 0)
  }

  // MARK: Solver paths

  @Test("the factored and the general path agree when perfusion is constant")
  func factoredMatchesGeneral() {
    // A coefficient of 1e-300 makes the perfusion factor 1 + 1e-300·ΔT == 1
    // exactly, but a non-zero coefficient sends every step down the general
    // Thomas path: the two solve the same equations in a different order.
    var factored = PlantConfiguration()
    factored.perfusionScale = 0.7
    var general = factored
    general.perfusionTemperatureCoefficientPerKelvin = 1e-300
    var fast = TissueColumn(configuration: factored, maximumStepSeconds: 0.1)
    var full = TissueColumn(configuration: general, maximumStepSeconds: 0.1)
    // 35 min of the treatment profile, in calls of irregular length (the
    // factored path refactors when the substep changes).
    var elapsed = 0.0
    var call = 0
    while elapsed < 35 * minute {
      let seconds = [1.0, 0.25, 2.5, 0.05][call % 4]
      let current = treatmentCurrent(atSeconds: elapsed)
      fast.step(seconds: seconds, tecCurrentAmperes: current, laserFraction: 0)
      full.step(seconds: seconds, tecCurrentAmperes: current, laserFraction: 0)
      elapsed += seconds
      call += 1
    }
    var worst = 0.0
    for node in 0..<fast.nodeCount {
      worst = max(worst, abs(fast.celsius(ofNode: node) - full.celsius(ofNode: node)))
    }
    #expect(worst < 1e-9)
    #expect(fast.plateCelsius < 0)  // the run went somewhere
    // And the coefficient is honoured when it matters.
    var responsive = factored
    responsive.perfusionTemperatureCoefficientPerKelvin = 0.03
    var warm = TissueColumn(configuration: responsive, maximumStepSeconds: 0.1)
    warm.step(seconds: 5 * minute, tecCurrentAmperes: 5, laserFraction: 0)
    var plain = TissueColumn(configuration: factored, maximumStepSeconds: 0.1)
    plain.step(seconds: 5 * minute, tecCurrentAmperes: 5, laserFraction: 0)
    // Cold tissue is perfused less: the skin ends colder.
    #expect(warm.surfaceCelsius < plain.surfaceCelsius - 0.01)
  }

  // MARK: Freezing

  @Test("freezing: supercooled until the event, then a jump up and slower cooling")
  func freezing() {
    // A constant extracted flux: "temperature jumps up at constant cooling power".
    var liquid = PlantConfiguration()
    liquid.perfusionScale = 0.3
    liquid.surface = .extractedFlux(wattsPerSquareMetre: 3000)
    var freezable = liquid
    let parameters = FreezingParameters()
    freezable.freezing = parameters
    var plain = TissueColumn(configuration: liquid, maximumStepSeconds: 0.1)
    var column = TissueColumn(configuration: freezable, maximumStepSeconds: 0.1)
    // Cool until the top skin cell is well supercooled (≈ 6 min at 3 kW/m²).
    var seconds = 0
    while column.celsius(ofNode: TissueColumn.firstTissueNode) > -6 && seconds < 3600 {
      column.step(seconds: 1, tecCurrentAmperes: 0, laserFraction: 0)
      plain.step(seconds: 1, tecCurrentAmperes: 0, laserFraction: 0)
      seconds += 1
    }
    #expect(seconds < 3600)
    // Supercooled: no latent heat, the same temperatures as without freezing.
    #expect(!column.isFreezing)
    #expect(temperatures(column) == temperatures(plain))
    let before = temperatures(column)
    let supercooled = (TissueColumn.firstTissueNode..<column.nodeCount).filter {
      before[$0] < parameters.startCelsius
    }
    #expect(supercooled.count >= 3)

    column.freezeEvent()
    #expect(column.isFreezing)
    let after = temperatures(column)
    let band = parameters.startCelsius - parameters.endCelsius
    let area = liquid.areaSquareMetres
    for node in TissueColumn.firstTissueNode..<column.nodeCount {
      if before[node] < parameters.startCelsius {
        #expect(after[node] > before[node], "node \(node) warms as its water freezes")
        // Sensible + latent heat conserved: C·T' + L·(T' − end)/band = C·T + L.
        let tissue = properties(liquid, column.layer(node))
        let mass = tissue.densityKilogramsPerCubicMetre * column.thicknessMetres(node) * area
        let c = mass * tissue.specificHeatJoulesPerKilogramKelvin
        let l = mass * tissue.waterFraction * parameters.latentHeatJoulesPerKilogram
        let expected =
          (c * before[node] + l + l * parameters.endCelsius / band) / (c + l / band)
        #expect(expected >= parameters.endCelsius && expected < parameters.startCelsius)
        #expect(abs(after[node] - expected) < 1e-9, "node \(node)")
      } else {
        #expect(after[node] == before[node])
      }
    }

    // Afterwards the frozen zone (the cells that were supercooled, all skin)
    // cools more slowly: its capacity-weighted mean temperature falls at
    // (net heat out of the zone)/(its capacity), and in the band skin's
    // apparent capacity ρ·(c + w·L/band) is 10.2× the sensible one (water
    // 0.7, 333 kJ/kg over 7.5 K, against 3390 J/(kg·K)). The tissue below the
    // zone is warmer than the zone, so the net heat out is at most the
    // extracted q: over 60 s the frozen zone can fall by no more than
    // q·60 s / (ρ·(c + w·L/band)·thickness) ≈ 4.7 K for a 1 mm zone. The
    // liquid run has the same extraction and a tenth of the capacity.
    func zoneMean(_ temperatures: [Double]) -> Double {
      var heat = 0.0
      var capacity = 0.0
      for node in supercooled {
        let c = column.thicknessMetres(node)  // one tissue (skin), one area: weights ∝ dz
        heat += c * temperatures[node]
        capacity += c
      }
      return heat / capacity
    }
    column.step(seconds: 60, tecCurrentAmperes: 0, laserFraction: 0)
    plain.step(seconds: 60, tecCurrentAmperes: 0, laserFraction: 0)
    let frozenFall = zoneMean(after) - zoneMean(temperatures(column))
    let liquidFall = zoneMean(before) - zoneMean(temperatures(plain))
    #expect(supercooled.allSatisfy { column.layer($0) == .skin })
    let skin = liquid.skin
    let zoneThickness = supercooled.reduce(0) { $0 + column.thicknessMetres($1) }
    let apparentCapacity =
      skin.densityKilogramsPerCubicMetre
      * (skin.specificHeatJoulesPerKilogramKelvin + skin.waterFraction
        * parameters.latentHeatJoulesPerKilogram / band) * zoneThickness
    #expect(frozenFall > 0)
    #expect(frozenFall <= 3000 * 60 / apparentCapacity)
    #expect(frozenFall < 0.5 * liquidFall)

    // Without freezing parameters a freeze event changes nothing.
    let unchanged = temperatures(plain)
    plain.freezeEvent()
    #expect(!plain.isFreezing)
    #expect(temperatures(plain) == unchanged)
  }

  // MARK: Grid and probes

  @Test("temperature(at:) interpolates between cell centres and reaches the core at the bottom")
  func probeInterpolation() {
    var column = TissueColumn(configuration: PlantConfiguration(), maximumStepSeconds: 0.1)
    column.step(seconds: 5 * minute, tecCurrentAmperes: 5, laserFraction: 0)
    let first = TissueColumn.firstTissueNode
    let last = column.nodeCount - 1
    // At a centre: the cell; between two centres: linear.
    for node in [first, first + 3, first + 8, first + 20, first + 50, last - 1] {
      let here = column.centreMetres(node)
      let next = column.centreMetres(node + 1)
      #expect(column.temperature(at: .depth(metres: here)) == column.celsius(ofNode: node))
      for t in [0.25, 0.5, 0.9] {
        let depth = here + t * (next - here)
        let expected =
          column.celsius(ofNode: node)
          + t * (column.celsius(ofNode: node + 1) - column.celsius(ofNode: node))
        #expect(abs(column.temperature(at: .depth(metres: depth)) - expected) < 1e-12)
      }
    }
    // Above the first centre: from the surface temperature.
    #expect(abs(column.temperature(at: .depth(metres: 0)) - column.surfaceCelsius) < 1e-12)
    let halfway = column.centreMetres(first) / 2
    #expect(
      abs(
        column.temperature(at: .depth(metres: halfway))
          - (column.surfaceCelsius + column.celsius(ofNode: first)) / 2) < 1e-12)
    // Below the last centre: on to the core, reached at the bottom and held beyond.
    let core = column.configuration.coreCelsius
    #expect(abs(column.celsius(ofNode: last) - core) > 1e-3)  // a gradient to interpolate
    let bottom = column.depthMetres
    #expect(abs(column.temperature(at: .depth(metres: bottom)) - core) < 1e-12)
    let between = (column.centreMetres(last) + bottom) / 2
    #expect(
      abs(
        column.temperature(at: .depth(metres: between))
          - (column.celsius(ofNode: last) + core) / 2) < 1e-12)
    #expect(column.temperature(at: .depth(metres: bottom + 0.01)) == core)
  }

  @Test(
    "the grid covers each layer exactly and nodeCount(for:) predicts the column",
    arguments: ColumnGridCase.all)
  func gridCoversLayers(_ grid: ColumnGridCase) {
    let (skinGrid, fatGrid, muscleGrid) = (grid.skin, grid.fat, grid.muscle)
    let (skinMetres, fatMetres, muscleMetres) = (
      grid.skinMetres, grid.fatMetres, grid.muscleMetres
    )
    var configuration = PlantConfiguration()
    configuration.skinGrid = skinGrid
    configuration.fatGrid = fatGrid
    configuration.muscleGrid = muscleGrid
    configuration.skinThicknessMetres = skinMetres
    configuration.fatThicknessMetres = fatMetres
    configuration.muscleThicknessMetres = muscleMetres
    let predicted = TissueColumn.nodeCount(for: configuration)
    #expect(predicted <= maximumColumnNodes)
    let column = TissueColumn(configuration: configuration)
    #expect(column.nodeCount == predicted)
    #expect(column.gridFitted)
    var thickness: [TissueLayer: Double] = [.skin: 0, .fat: 0, .muscle: 0]
    var bottom = 0.0
    var previous = TissueLayer.skin
    for node in TissueColumn.firstTissueNode..<column.nodeCount {
      let dz = column.thicknessMetres(node)
      let layer = column.layer(node)
      #expect(dz > 0)
      #expect(layer.rawValue >= previous.rawValue)  // skin, then fat, then muscle
      #expect(abs(column.centreMetres(node) - (bottom + dz / 2)) < 1e-12)
      thickness[layer, default: 0] += dz
      bottom += dz
      previous = layer
    }
    #expect(abs(thickness[.skin]! - skinMetres) < 1e-12)
    #expect(abs(thickness[.fat]! - fatMetres) < 1e-12)
    #expect(abs(thickness[.muscle]! - muscleMetres) < 1e-12)
    #expect(abs(bottom - column.depthMetres) < 1e-12)
  }

  @Test("a grid too fine for the column is reported and still reaches the core")
  func gridTooFine() {
    var configuration = PlantConfiguration()
    configuration.fatGrid = LayerGrid(firstCellMetres: 0.05e-3)  // 400 fat cells
    let predicted = TissueColumn.nodeCount(for: configuration)
    #expect(predicted > maximumColumnNodes)
    let column = TissueColumn(configuration: configuration)
    #expect(!column.gridFitted)
    #expect(column.nodeCount == maximumColumnNodes)
    var bottom = 0.0
    for node in TissueColumn.firstTissueNode..<column.nodeCount {
      bottom += column.thicknessMetres(node)
    }
    #expect(abs(bottom - column.depthMetres) < 1e-12)
  }

  // MARK: Applicator (ported from the TissuePlant tests)

  @Test("no perfusion, plate held, laser off: the series-resistance steady state")
  func seriesSteadyState() {
    let configuration = laserConfiguration(perfusionScale: 0)
    let series = SeriesColumn(configuration: configuration)
    let column = settled(configuration)
    let plate = coolingPlateCelsius
    let contact = 1 / configuration.contactConductanceWattsPerSquareMetreKelvin
    #expect(column.plateCelsius == plate)
    // Exact for a piecewise-linear profile: only round-off remains.
    let tolerance = 1e-9
    let surface = plate + series.flux(surfaceCelsius: plate, surfaceResistance: contact) * contact
    #expect(abs(column.surfaceCelsius - surface) < tolerance)
    // Every cell centre, and points between neighbouring centres of the
    // same layer (the profile is linear between them).
    for node in TissueColumn.firstTissueNode..<column.nodeCount {
      let centre = column.centreMetres(node)
      let expected = series.profile(
        surfaceCelsius: plate, surfaceResistance: contact, depth: centre)
      #expect(abs(column.celsius(ofNode: node) - expected) < tolerance, "node \(node)")
      if node + 1 < column.nodeCount && column.layer(node + 1) == column.layer(node) {
        let between = (centre + column.centreMetres(node + 1)) / 2
        let interpolated = series.profile(
          surfaceCelsius: plate, surfaceResistance: contact, depth: between)
        #expect(abs(column.temperature(at: .depth(metres: between)) - interpolated) < tolerance)
      }
    }
    // Below the last centre the profile runs on linearly to the core.
    for depth in [0.0415, 0.0418, 0.042] {
      let expected = series.profile(
        surfaceCelsius: plate, surfaceResistance: contact, depth: depth)
      #expect(abs(column.temperature(at: .depth(metres: depth)) - expected) < tolerance)
    }
    #expect(abs(column.temperature(at: .depth(metres: series.totalDepth)) - 37) < 1e-12)
  }

  @Test("no perfusion: the steady state does not depend on the step used to reach it")
  func steadyStateIndependentOfStep() {
    let configuration = laserConfiguration(perfusionScale: 0)
    var coarse = TissueColumn(configuration: configuration, maximumStepSeconds: 1e9)
    coarse.step(seconds: 1e12, tecCurrentAmperes: 0, laserFraction: 0)
    let fine = settled(configuration)
    for node in 0..<fine.nodeCount {
      #expect(abs(coarse.celsius(ofNode: node) - fine.celsius(ofNode: node)) < 1e-9)
    }
  }

  @Test("perfusion: a uniform perfused column matches the Pennes slab solution")
  func pennesSlab() {
    // physics.md item 4 on a finite slab behind the contact: θ = T − 37 obeys
    // θ'' = θ/L² with L = √(k/(w·ρ_b·c_b)), θ(D) = 0 at the core and
    // −k·θ'(0) = h·(θ_p − θ(0)) at the contact, so θ(x) = C·sinh((D − x)/L)
    // with C = h·θ_p / (h·sinh(D/L) + (k/L)·cosh(D/L)).
    var configuration = laserConfiguration(perfusionScale: 1)
    configuration.skin = inertFat
    configuration.fat = inertFat
    configuration.muscle = inertFat
    configuration.skinThicknessMetres = 0.004
    configuration.fatThicknessMetres = 0.012
    configuration.muscleThicknessMetres = 0.006
    let column = settled(configuration)
    let k = inertFat.conductivityWattsPerMetreKelvin
    let blood = TissueProperties.blood.volumetricHeatCapacity
    let length = (k / (inertFat.perfusionPerSecond * blood)).squareRoot()
    let depthTotal = 0.022
    let h = configuration.contactConductanceWattsPerSquareMetreKelvin
    let thetaPlate = coolingPlateCelsius - 37
    let c =
      h * thetaPlate
      / (h * Foundation.sinh(depthTotal / length) + k / length
        * Foundation.cosh(depthTotal / length))
    // The finite-volume scheme is second order: with cells ≤ 1 mm its
    // discrete decay rate differs from 1/L by at most (dz/L)²/24 = 3.8e-4
    // relative, an error of at most |θ_p|·3.8e-4·max(s·e^(−s)) ≈ 3e-3 °C;
    // 1e-2 °C leaves room for the boundary cells and the interpolation.
    for step in 0...22 {
      let depth = Double(step) * 0.001
      let expected = 37 + c * Foundation.sinh((depthTotal - depth) / length)
      let actual = column.temperature(at: .depth(metres: depth))
      #expect(abs(actual - expected) < 1e-2, "depth \(depth * 1000) mm")
    }
  }

  @Test("perfusion: deep tissue approaches 37 °C, closer than without perfusion")
  func perfusionWarmsDeepTissue() {
    // No metabolism (laserConfiguration): blood is the only heat source.
    let perfused = settled(laserConfiguration(perfusionScale: 1))
    let still = settled(laserConfiguration(perfusionScale: 0))
    var previousDeficit = Double.infinity
    for depth in stride(from: 0.003, through: 0.041, by: 0.001) {
      let warm = perfused.temperature(at: .depth(metres: depth))
      let cold = still.temperature(at: .depth(metres: depth))
      // A cold plate above and 37 °C blood everywhere: perfusion only adds heat.
      #expect(warm > cold, "depth \(depth * 1000) mm")
      #expect(warm < 37)
      let deficit = 37 - warm
      #expect(deficit < previousDeficit)
      previousDeficit = deficit
    }
    // In muscle, one perfusion length (≈ 14 mm) below the fat, the deficit
    // has fallen to a small fraction of the 19 °C at the plate.
    #expect(37 - perfused.temperature(at: .depth(metres: 0.030)) < 0.1 * 19)
  }

  @Test("TEC: positive current cools the plate, negative heats it")
  func tecDirection() {
    let rest = settled(PlantConfiguration())
    let start = rest.plateCelsius
    for current in [1.0, 3.0, 6.0] {
      var cooled = rest
      var heated = rest
      var lastCooled = start
      var lastHeated = start
      for _ in 0..<20 {
        cooled.step(seconds: 0.5, tecCurrentAmperes: current, laserFraction: 0)
        heated.step(seconds: 0.5, tecCurrentAmperes: -current, laserFraction: 0)
        #expect(cooled.plateCelsius < lastCooled)
        #expect(heated.plateCelsius > lastHeated)
        lastCooled = cooled.plateCelsius
        lastHeated = heated.plateCelsius
      }
      // The hot side receives the pumped heat when cooling.
      #expect(cooled.hotSideCelsius > rest.hotSideCelsius)
    }
  }

  @Test("TEC: Joule heat makes heating faster than cooling at the same current")
  func jouleAsymmetry() {
    // From rest (every flux into the plate balanced at I = 0), the plate
    // gains ±S·I·T + ½·I²·R at first, so rise − fall ≈ I²·R·t / C_plate.
    // Over t = 0.2 s the plate moves < 1 K; the heat paths that depend on its
    // temperature (S·I, K, contact: ≈ 2 W/K) then change by < 2 W against
    // I²·R = 72 W at 6 A, so the estimate holds to a few percent.
    let configuration = PlantConfiguration()
    let rest = settled(configuration)
    let tec = TECParameters()
    for current in [3.0, 6.0] {
      var cooled = rest
      var heated = rest
      let start = rest.plateCelsius
      let t = 0.2
      // Calls shorter than the column's largest step are single
      // backward-Euler steps: 20 steps of 10 ms.
      for _ in 0..<20 {
        cooled.step(seconds: t / 20, tecCurrentAmperes: current, laserFraction: 0)
        heated.step(seconds: t / 20, tecCurrentAmperes: -current, laserFraction: 0)
      }
      let rise = heated.plateCelsius - start
      let fall = start - cooled.plateCelsius
      #expect(rise > 0 && fall > 0)
      #expect(rise > fall)
      let expected: Double =
        current * current * tec.resistanceOhms * t
        / configuration.plateHeatCapacityJoulesPerKelvin
      let asymmetry: Double = rise - fall
      #expect(abs(asymmetry - expected) < 0.05 * expected, "I = \(current) A")
    }
  }
}
