import ApplicatorHAL
import Foundation
import Testing

/// Reference values of `physics.md` computed in the test from the
/// configuration, never from the plant's own output.
private struct Column {
  let configuration: PlantConfiguration

  var area: Double { configuration.areaSquareMetres }
  var skin: (k: Double, thickness: Double) {
    (configuration.skin.conductivityWattsPerMetreKelvin, configuration.skinThicknessMetres)
  }
  var fat: (k: Double, thickness: Double) {
    (configuration.fat.conductivityWattsPerMetreKelvin, configuration.fatThicknessMetres)
  }
  var muscle: (k: Double, thickness: Double) {
    (configuration.muscle.conductivityWattsPerMetreKelvin, configuration.muscleThicknessMetres)
  }
  var totalDepth: Double { skin.thickness + fat.thickness + muscle.thickness }

  /// physics.md item 5: layers in series, steady, no perfusion. The heat flux
  /// (W/m², from the core toward the plate) is ΔT over the sum of the
  /// contact resistance 1/h and each layer's L/k.
  func seriesFlux(plateCelsius: Double) -> Double {
    let resistance =
      1 / configuration.contactConductanceWattsPerSquareMetreKelvin + skin.thickness / skin.k
      + fat.thickness / fat.k + muscle.thickness / muscle.k
    return (configuration.coreCelsius - plateCelsius) / resistance
  }

  /// The steady profile: linear inside each layer, slope q/k.
  func seriesProfile(plateCelsius: Double, depth x: Double) -> Double {
    let q = seriesFlux(plateCelsius: plateCelsius)
    var t = plateCelsius + q / configuration.contactConductanceWattsPerSquareMetreKelvin
    var top = 0.0
    for layer in [skin, fat, muscle] {
      if x <= top + layer.thickness { return t + q * (x - top) / layer.k }
      t += q * layer.thickness / layer.k
      top += layer.thickness
    }
    return t
  }
}

private func laserConfiguration(perfusionScale: Double) -> PlantConfiguration {
  var configuration = PlantConfiguration()
  configuration.perfusionScale = perfusionScale
  configuration.drive = .laserWithContactCooling(LaserParameters())
  return configuration
}

private var coolingPlateCelsius: Double { LaserParameters().coolingPlateCelsius }

/// Backward Euler's fixed point is the steady state and the scheme is
/// L-stable, so large steps converge to it: the slowest mode of a 42 mm
/// column has τ of a few hours (≈ 1e4 s), and 2000 steps of 1e4 s damp the
/// start-up transient by more than (1/2)^2000.
private func settled(
  _ configuration: PlantConfiguration, tecCurrent: Double = 0, laser: Double = 0
) -> TissuePlant {
  var plant = TissuePlant(configuration: configuration, maximumStepSeconds: 1e4)
  plant.step(seconds: 2e7, tecCurrentAmperes: tecCurrent, laserFraction: laser)
  return plant
}

@Suite("TissuePlant", .tags(.physics))
struct TissuePlantTests {
  @Test("no perfusion, plate held, laser off: the series-resistance steady state")
  func seriesSteadyState() {
    let configuration = laserConfiguration(perfusionScale: 0)
    let column = Column(configuration: configuration)
    let plant = settled(configuration)
    let plate = coolingPlateCelsius
    #expect(plant.plateCelsius == plate)
    // The discrete scheme is exact for a piecewise-linear profile (half-cell
    // resistances in series), so only round-off separates it from the closed form.
    let tolerance = 1e-9
    let surface =
      plate + column.seriesFlux(plateCelsius: plate)
      / configuration.contactConductanceWattsPerSquareMetreKelvin
    #expect(abs(plant.surfaceCelsius - surface) < tolerance)
    // Depths whose neighbouring cell centres lie in the same layer (the
    // profile is linear between them), from the skin surface to the last
    // muscle cell centre.
    let millimetre = 1e-3
    let depths = [
      0, 0.1, 0.25, 0.6, 1.0, 1.5, 1.75,  // skin: centres at 0.25 … 1.75 mm
      2.9, 5, 7, 10, 15, 21.1,  // fat: centres at 2.83 … 21.17 mm
      23.7, 27, 30, 35, 40.3,  // muscle: centres at 23.67 … 40.33 mm
    ].map { $0 * millimetre }
    for depth in depths {
      let expected = column.seriesProfile(plateCelsius: plate, depth: depth)
      let actual = plant.temperature(at: .depth(metres: depth))
      #expect(abs(actual - expected) < tolerance, "depth \(depth * 1000) mm")
    }
    // And the plate: 18 °C; the 37 °C core is not reached until the bottom.
    #expect(abs(column.seriesProfile(plateCelsius: plate, depth: column.totalDepth) - 37) < 1e-12)
  }

  @Test("no perfusion: below the last cell centre the profile runs on linearly to the core")
  func seriesSteadyStateNearCore() {
    let configuration = laserConfiguration(perfusionScale: 0)
    let column = Column(configuration: configuration)
    let plant = settled(configuration)
    for depth in [0.0405, 0.041, 0.0415, 0.0419, 0.042] {
      let expected = column.seriesProfile(plateCelsius: coolingPlateCelsius, depth: depth)
      let actual = plant.temperature(at: .depth(metres: depth))
      #expect(abs(actual - expected) < 1e-9, "depth \(depth * 1000) mm")
    }
    // Deeper than the column: the core.
    #expect(abs(plant.temperature(at: .depth(metres: 0.05)) - 37) < 1e-9)
  }

  @Test("no perfusion: the steady state does not depend on the step used to reach it")
  func steadyStateIndependentOfStep() {
    let configuration = laserConfiguration(perfusionScale: 0)
    var coarse = TissuePlant(configuration: configuration, maximumStepSeconds: 1e9)
    coarse.step(seconds: 1e12, tecCurrentAmperes: 0, laserFraction: 0)
    let fine = settled(configuration)
    for node in 0..<fine.nodeCount {
      #expect(abs(coarse.celsius[node] - fine.celsius[node]) < 1e-9)
    }
  }

  @Test("perfusion: a uniform perfused column matches the Pennes slab solution")
  func pennesSlab() {
    // physics.md item 4 on a finite slab: θ = T − 37 obeys θ'' = θ/L² with
    // L = √(k/(w·ρ_b·c_b)), θ(D) = 0 at the core and −k·θ'(0) = h·(θ_p − θ(0))
    // at the contact, so θ(x) = C·sinh((D − x)/L) with
    // C = h·θ_p / (h·sinh(D/L) + (k/L)·cosh(D/L)).
    var configuration = laserConfiguration(perfusionScale: 1)
    configuration.skin = .fat
    configuration.muscle = .fat
    // 4 + 12 + 6 cells of 1 mm each: a uniform grid, dz = 1 mm.
    configuration.skinThicknessMetres = 0.004
    configuration.fatThicknessMetres = 0.012
    configuration.muscleThicknessMetres = 0.006
    let plant = settled(configuration)
    let k = TissueProperties.fat.conductivityWattsPerMetreKelvin
    let blood = TissueProperties.blood.volumetricHeatCapacity
    let length = (k / (TissueProperties.fat.perfusionPerSecond * blood)).squareRoot()
    let depthTotal = 0.022
    let h = configuration.contactConductanceWattsPerSquareMetreKelvin
    let thetaPlate = coolingPlateCelsius - 37
    let c =
      h * thetaPlate
      / (h * Foundation.sinh(depthTotal / length) + k / length
        * Foundation.cosh(depthTotal / length))
    // The finite-volume scheme is second order: its discrete decay rate
    // differs from 1/L by a relative (dz/L)²/24 = 3.8e-4 (dz = 1 mm,
    // L = 10.5 mm), an error of at most |θ_p|·(dz/L)²/24·max(s·e^(−s)) ≈ 3e-3 °C
    // in the profile; 1e-2 °C leaves room for the boundary cells.
    for step in 0...22 {
      let depth = Double(step) * 0.001
      let expected = 37 + c * Foundation.sinh((depthTotal - depth) / length)
      let actual = plant.temperature(at: .depth(metres: depth))
      #expect(abs(actual - expected) < 1e-2, "depth \(depth * 1000) mm")
    }
  }

  @Test("perfusion: deep tissue approaches 37 °C, closer than without perfusion")
  func perfusionWarmsDeepTissue() {
    let perfused = settled(laserConfiguration(perfusionScale: 1))
    let still = settled(laserConfiguration(perfusionScale: 0))
    var previousDeficit = Double.infinity
    for depth in stride(from: 0.003, through: 0.040, by: 0.001) {
      let warm = perfused.temperature(at: .depth(metres: depth))
      let cold = still.temperature(at: .depth(metres: depth))
      // A cold plate above and 37 °C blood everywhere: perfusion only adds heat.
      #expect(warm > cold, "depth \(depth * 1000) mm")
      #expect(warm < 37)
      let deficit = 37 - warm
      #expect(deficit < previousDeficit)
      previousDeficit = deficit
    }
    // In muscle, one perfusion length (≈ 14 mm) below the fat, the
    // deficit has fallen to a small fraction of the 19 °C at the plate.
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
      // Calls shorter than the plant's largest step are single backward-Euler
      // steps: 20 steps of 10 ms.
      for _ in 0..<20 {
        cooled.step(seconds: t / 20, tecCurrentAmperes: current, laserFraction: 0)
        heated.step(seconds: t / 20, tecCurrentAmperes: -current, laserFraction: 0)
      }
      let rise = heated.plateCelsius - start
      let fall = start - cooled.plateCelsius
      #expect(rise > 0 && fall > 0)
      #expect(rise > fall)
      let expected =
        current * current * tec.resistanceOhms * t
        / configuration.plateHeatCapacityJoulesPerKelvin
      #expect(abs((rise - fall) - expected) < 0.05 * expected, "I = \(current) A")
    }
  }

  @Test("energy balance of a TEC step: stored heat equals heat in plus electrical power")
  func tecEnergyBalance() {
    var configuration = PlantConfiguration()
    configuration.perfusionScale = 0.5
    let tec = TECParameters()
    var plant = TissuePlant(configuration: configuration, maximumStepSeconds: 10)
    let before = plant.celsius
    let dt = 1.0
    let current = 4.0
    plant.step(seconds: dt, tecCurrentAmperes: current, laserFraction: 0)
    let after = plant.celsius
    let layout = layoutOf(configuration)
    #expect(plant.nodeCount == 2 + layout.count)
    var stored =
      tec.heatsinkCapacityJoulesPerKelvin * (after[0] - before[0])
      + configuration.plateHeatCapacityJoulesPerKelvin * (after[1] - before[1])
    var perfusion = 0.0
    for (offset, cell) in layout.enumerated() {
      let node = 2 + offset
      stored += cell.capacity * (after[node] - before[node])
      perfusion += cell.perfusion * (configuration.arterialCelsius - after[node])
    }
    let last = layout[layout.count - 1]
    let core = last.coreConductance * (configuration.coreCelsius - after[plant.nodeCount - 1])
    let coolant = (tec.coolantCelsius - after[0]) / tec.heatsinkResistanceKelvinPerWatt
    let ambient =
      configuration.plateAmbientConductanceWattsPerKelvin
      * (configuration.ambientCelsius - after[1])
    // Electrical power V·I = S·I·(T_h − T_c) + I²·R (Peltier terms cancel the kelvin offset).
    let electrical =
      current * current * tec.resistanceOhms
      + tec.seebeckVoltsPerKelvin * current * (after[0] - after[1])
    let heatIn = dt * (coolant + ambient + core + perfusion + electrical)
    #expect(abs(stored) > 1)  // the step did something
    #expect(abs(stored - heatIn) < 1e-8, "stored \(stored) J, in \(heatIn) J")
  }

  @Test("energy balance of a laser step: absorbed light is 1 − exp(−Σμ·L) of the input")
  func laserEnergyBalance() {
    var configuration = laserConfiguration(perfusionScale: 1)
    configuration.initialSkinCelsius = 30
    let laser = LaserParameters()
    var plant = TissuePlant(configuration: configuration, maximumStepSeconds: 10)
    let before = plant.celsius
    let dt = 2.0
    let fraction = 0.7
    plant.step(seconds: dt, tecCurrentAmperes: 0, laserFraction: fraction)
    let after = plant.celsius
    let layout = layoutOf(configuration)
    var stored = 0.0
    var perfusion = 0.0
    for (offset, cell) in layout.enumerated() {
      let node = 2 + offset
      stored += cell.capacity * (after[node] - before[node])
      perfusion += cell.perfusion * (configuration.arterialCelsius - after[node])
    }
    let first = layout[0]
    let top = first.topConductance * (laser.coolingPlateCelsius - after[2])
    let core =
      layout[layout.count - 1].coreConductance
      * (configuration.coreCelsius - after[plant.nodeCount - 1])
    let opticalDepth =
      configuration.skin.attenuationPerMetre * configuration.skinThicknessMetres
      + configuration.fat.attenuationPerMetre * configuration.fatThicknessMetres
      + configuration.muscle.attenuationPerMetre * configuration.muscleThicknessMetres
    let absorbed =
      fraction * laser.maximumIrradianceWattsPerSquareMetre * laser.absorbedFraction
      * configuration.areaSquareMetres * (1 - Foundation.exp(-opticalDepth))
    let heatIn = dt * (top + core + perfusion + absorbed)
    #expect(abs(stored) > 1)
    #expect(abs(stored - heatIn) < 1e-8, "stored \(stored) J, in \(heatIn) J")
  }
}

/// One tissue cell as the plant lays the column out: 4 skin, 12 fat and 6
/// muscle cells of equal thickness within each layer (the plant's layout).
private struct Cell {
  var capacity: Double  // J/K
  var perfusion: Double  // W/K to arterial blood
  var topConductance: Double  // W/K from the plate (first cell only)
  var coreConductance: Double  // W/K to the core (last cell only)
}

private func layoutOf(_ configuration: PlantConfiguration) -> [Cell] {
  let area = configuration.areaSquareMetres
  let blood = TissueProperties.blood.volumetricHeatCapacity
  var cells: [Cell] = []
  let layers = [
    (configuration.skin, configuration.skinThicknessMetres, 4),
    (configuration.fat, configuration.fatThicknessMetres, 12),
    (configuration.muscle, configuration.muscleThicknessMetres, 6),
  ]
  for (tissue, thickness, count) in layers {
    let dz = thickness / Double(count)
    let k = tissue.conductivityWattsPerMetreKelvin
    for _ in 0..<count {
      cells.append(
        Cell(
          capacity: tissue.volumetricHeatCapacity * dz * area,
          perfusion: tissue.perfusionPerSecond * configuration.perfusionScale * blood * dz * area,
          topConductance: area
            / (1 / configuration.contactConductanceWattsPerSquareMetreKelvin + dz / (2 * k)),
          coreConductance: area / (dz / (2 * k))))
    }
  }
  return cells
}
