import ApplicatorHAL

/// The most nodes a column holds: heatsink, plate and tissue cells.
public let maximumColumnNodes = 256

/// Where a probe sits.
public enum ProbeLocation: Sendable, Equatable {
  /// On the applicator plate.
  case plate
  /// On the TEC's hot side (heatsink).
  case hotSide
  /// In tissue, this many metres below the skin surface (0 is the skin surface).
  case depth(metres: Double)
}

/// Which tissue a cell belongs to.
public enum TissueLayer: UInt8, Sendable, Equatable {
  /// Skin.
  case skin
  /// Subcutaneous fat.
  case fat
  /// Muscle.
  case muscle
}

/// The simulated applicator on tissue: a 1-D finite-volume bioheat column
/// from the TEC's heatsink through the plate, the contact layer, skin, fat and
/// muscle down to a core held at a fixed temperature.
///
/// Each node obeys the Pennes equation in finite-volume form,
/// C·dT/dt = Σ G·(T_neighbour − T) + P·(T_arterial − T) + Q_metabolic + Q_laser,
/// with the plate as one lumped node (aluminium: its Biot number is tiny)
/// and the contact layer as a conductance in series with the half-cells.
/// Time stepping is backward Euler with a tridiagonal (Thomas) solve:
/// L-stable, so thin conductive cells do not ring at control time steps.
/// The Peltier terms S·I·T are linear in temperature and implicit too;
/// Joule heat goes half to each side. Perfusion's temperature dependence and
/// the apparent heat capacity of freezing are evaluated at the start of
/// each step (time-lagged). Grids may be non-uniform (cells that grow with
/// depth). Fixed capacity: a step allocates nothing.
public struct TissueColumn: Sendable {
  /// Node 0: TEC hot side / heatsink.
  public static let hotSideNode = 0
  /// Node 1: the applicator plate (or the held open-loop boundary).
  public static let plateNode = 1
  /// The first tissue node (top skin cell).
  public static let firstTissueNode = 2

  /// The configuration the column was built from.
  public let configuration: PlantConfiguration
  /// Number of nodes in use.
  public let nodeCount: Int
  /// Whether the configuration's grid fitted in ``maximumColumnNodes`` (if
  /// not, the deepest cell was stretched to the bottom).
  public let gridFitted: Bool
  private var celsius: InlineArray<256, Double>  // °C per node
  /// Largest internal step, s; a longer call substeps.
  public let maximumStepSeconds: Double
  /// Heat flows since creation.
  public private(set) var energy = EnergyLedger()
  /// Dose at depth, from the column's own temperatures, updated by every ``step(seconds:tecCurrentAmperes:laserFraction:)``.
  public internal(set) var depthDose = DepthDose()
  /// Whether tissue water is freezing in equilibrium (after a freeze event),
  /// rather than supercooled.
  public private(set) var isFreezing = false

  private var capacity: InlineArray<256, Double>  // J/K, sensible
  private var latent: InlineArray<256, Double>  // J of latent heat per cell
  private var conductanceBelow: InlineArray<256, Double>  // W/K to node i+1 (last: to core)
  private var perfusion: InlineArray<256, Double>  // W/K to arterial blood, nominal
  private var metabolic: InlineArray<256, Double>  // W
  private var laserShare: InlineArray<256, Double>  // fraction of the absorbed power
  private var centre: InlineArray<256, Double>  // m below the skin surface
  private var size: InlineArray<256, Double>  // m, cell thickness
  private var layers: InlineArray<256, TissueLayer>
  private var scratchUpper: InlineArray<256, Double>
  private var scratchRight: InlineArray<256, Double>
  private var stepPerfusion: InlineArray<256, Double>  // W/K used in the current step
  // The factored matrix of the constant-coefficient path (see `factor(dt:)`).
  private var factoredStepSeconds = 0.0  // the dt the factors belong to; 0: none
  private var storeConductance: InlineArray<256, Double>  // C/dt, W/K
  private var constantSource: InlineArray<256, Double>  // W: perfusion, metabolism, boundaries
  private var eliminationFactor: InlineArray<256, Double>  // c_i / b'_(i+1)
  private var inversePivot: InlineArray<256, Double>  // 1 / b'_i, rows ≥ 2
  private var plateBasePivot = 0.0  // b'_1 without the Peltier term
  private var totalMetabolicWatts = 0.0
  private var tissueLaserShare = 0.0  // the fraction of the absorbed light the column keeps
  private var firstFatNode = 0
  private var firstMuscleNode = 0
  private let hotSideHeld: Bool
  private let plateHeld: Bool
  private let totalDepth: Double
  // Constants of the step, read once from the configuration.
  private let seebeckVoltsPerKelvin: Double
  private let jouleOhms: Double  // half the module resistance: each side's share
  private let coolantCelsius: Double
  private var heatsinkConductance: Double  // W/K
  private let fullAbsorbedWatts: Double  // laser power absorbed at a command of 1
  private let surfaceSourceWatts: Double  // an open-loop extracted flux, as a source
  private let arterialCelsius: Double
  private let coreCelsius: Double
  private let ambientCelsius: Double
  private let ambientConductance: Double  // W/K
  private let perfusionCoefficient: Double  // 1/K
  private let freezeStartCelsius: Double
  private let freezeEndCelsius: Double
  private let skinConductivity: Double  // W/(m·K)
  private var contactConductance: Double  // W/(m²·K)
  private let area: Double  // m²
  private let surface: SurfaceBoundary

  /// The number of cells a configuration's grid needs, heatsink and plate included.
  public static func nodeCount(for configuration: PlantConfiguration) -> Int {
    var count = firstTissueNode
    for (thickness, grid) in layerGrids(configuration) {
      var remaining = thickness
      var cell = grid.firstCellMetres
      while remaining > 0 {
        let take = remaining - cell < 0.5 * cell ? remaining : cell
        remaining -= take
        count += 1
        cell = min(cell * grid.growth, grid.maximumCellMetres)
        if count > 100_000 { return count }
      }
    }
    return count
  }

  private static func layerGrids(_ configuration: PlantConfiguration) -> [(Double, LayerGrid)] {
    [
      (configuration.skinThicknessMetres, configuration.skinGrid),
      (configuration.fatThicknessMetres, configuration.fatGrid),
      (configuration.muscleThicknessMetres, configuration.muscleGrid),
    ]
  }

  /// Builds the column for a configuration; validate thicknesses and grids
  /// (positive, ``nodeCount(for:)`` within ``maximumColumnNodes``) first.
  public init(configuration: PlantConfiguration, maximumStepSeconds: Double = 0.1) {
    self.configuration = configuration
    self.maximumStepSeconds = maximumStepSeconds > 0 ? maximumStepSeconds : 0.1
    let zeros = InlineArray<256, Double>(repeating: 0)
    celsius = zeros
    capacity = zeros
    latent = zeros
    conductanceBelow = zeros
    perfusion = zeros
    metabolic = zeros
    laserShare = zeros
    centre = zeros
    size = zeros
    layers = InlineArray(repeating: .skin)
    scratchUpper = zeros
    scratchRight = zeros
    stepPerfusion = zeros
    storeConductance = zeros
    constantSource = zeros
    eliminationFactor = zeros
    inversePivot = zeros
    totalDepth =
      configuration.skinThicknessMetres + configuration.fatThicknessMetres
      + configuration.muscleThicknessMetres

    let area = configuration.areaSquareMetres
    let bloodCapacity = TissueProperties.blood.volumetricHeatCapacity
    let tissues: [(TissueLayer, TissueProperties)] = [
      (.skin, configuration.skin), (.fat, configuration.fat), (.muscle, configuration.muscle),
    ]
    let latentPerKilogram = configuration.freezing?.latentHeatJoulesPerKilogram ?? 0
    var node = TissueColumn.firstTissueNode
    var depth = 0.0
    var transmitted = 1.0
    var fitted = true
    for (index, (thickness, grid)) in TissueColumn.layerGrids(configuration).enumerated() {
      let (layer, tissue) = tissues[index]
      var remaining = thickness
      var cell = max(grid.firstCellMetres, 1e-9)
      while remaining > 1e-15 {
        var dz = remaining - cell < 0.5 * cell ? remaining : cell
        let lastSlot = node == maximumColumnNodes - 1
        if lastSlot {
          dz = totalDepth - depth
          fitted = fitted && (index == 2 && dz <= remaining + 1e-12)
        }
        let mass = tissue.densityKilogramsPerCubicMetre * dz * area
        capacity[node] = tissue.volumetricHeatCapacity * dz * area
        latent[node] = mass * tissue.waterFraction * latentPerKilogram
        perfusion[node] =
          tissue.perfusionPerSecond * configuration.perfusionScale * bloodCapacity * dz * area
        metabolic[node] = tissue.metabolicWattsPerKilogram * mass
        let leaving = transmitted * Elementary.exp(-tissue.attenuationPerMetre * dz)
        laserShare[node] = transmitted - leaving
        transmitted = leaving
        centre[node] = depth + dz / 2
        size[node] = dz
        layers[node] = layer
        let fraction = (depth + dz / 2) / totalDepth
        celsius[node] =
          configuration.initialSkinCelsius + fraction
          * (configuration.coreCelsius - configuration.initialSkinCelsius)
        depth += dz
        remaining -= dz
        node += 1
        cell = min(cell * grid.growth, grid.maximumCellMetres)
        if lastSlot { break }
      }
      if node == maximumColumnNodes { break }
    }
    nodeCount = node
    gridFitted = fitted
    // Conductances: between tissue cells through their half-cells, the last
    // cell to the core through its half-cell.
    let first = TissueColumn.firstTissueNode
    for i in first..<node {
      let half = size[i] / (2 * TissueColumn.conductivity(configuration, layers[i]))
      if i + 1 < node {
        let next = size[i + 1] / (2 * TissueColumn.conductivity(configuration, layers[i + 1]))
        conductanceBelow[i] = area / (half + next)
      } else {
        conductanceBelow[i] = area / half
      }
    }
    let topHalf = size[first] / (2 * configuration.skin.conductivityWattsPerMetreKelvin)
    let contact = 1 / configuration.contactConductanceWattsPerSquareMetreKelvin
    capacity[TissueColumn.plateNode] = configuration.plateHeatCapacityJoulesPerKelvin
    celsius[TissueColumn.plateNode] = configuration.initialPlateCelsius
    switch configuration.surface {
    case .applicator:
      conductanceBelow[TissueColumn.plateNode] = area / (contact + topHalf)
      switch configuration.drive {
      case .thermoelectric(let tec):
        hotSideHeld = false
        plateHeld = false
        capacity[TissueColumn.hotSideNode] = tec.heatsinkCapacityJoulesPerKelvin
        celsius[TissueColumn.hotSideNode] = tec.coolantCelsius
        conductanceBelow[TissueColumn.hotSideNode] = tec.conductanceWattsPerKelvin
      case .laserWithContactCooling(let laser):
        hotSideHeld = true
        plateHeld = true
        celsius[TissueColumn.hotSideNode] = laser.coolingPlateCelsius
        celsius[TissueColumn.plateNode] = laser.coolingPlateCelsius
      }
    case .heldTemperature(let surface):
      hotSideHeld = true
      plateHeld = true
      celsius[TissueColumn.plateNode] = surface
      conductanceBelow[TissueColumn.plateNode] = area / topHalf
    case .convective(let coefficient, let fluid):
      hotSideHeld = true
      plateHeld = true
      celsius[TissueColumn.plateNode] = fluid
      conductanceBelow[TissueColumn.plateNode] = area / (1 / coefficient + topHalf)
    case .extractedFlux:
      hotSideHeld = true
      plateHeld = true
    }
    var seebeck = 0.0
    var joule = 0.0
    var coolant = 0.0
    var heatsink = 0.0
    var absorbed = 0.0
    if case .applicator = configuration.surface {
      switch configuration.drive {
      case .thermoelectric(let tec):
        seebeck = tec.seebeckVoltsPerKelvin
        joule = 0.5 * tec.resistanceOhms
        coolant = tec.coolantCelsius
        heatsink = 1 / tec.heatsinkResistanceKelvinPerWatt
      case .laserWithContactCooling(let source):
        absorbed = source.maximumIrradianceWattsPerSquareMetre * source.absorbedFraction * area
      }
    }
    seebeckVoltsPerKelvin = seebeck
    jouleOhms = joule
    coolantCelsius = coolant
    heatsinkConductance = heatsink
    fullAbsorbedWatts = absorbed
    if case .extractedFlux(let flux) = configuration.surface {
      surfaceSourceWatts = -flux * area
    } else {
      surfaceSourceWatts = 0
    }
    arterialCelsius = configuration.arterialCelsius
    coreCelsius = configuration.coreCelsius
    ambientCelsius = configuration.ambientCelsius
    ambientConductance = configuration.plateAmbientConductanceWattsPerKelvin
    perfusionCoefficient = configuration.perfusionTemperatureCoefficientPerKelvin
    freezeStartCelsius = configuration.freezing?.startCelsius ?? 0
    freezeEndCelsius = configuration.freezing?.endCelsius ?? 0
    skinConductivity = configuration.skin.conductivityWattsPerMetreKelvin
    contactConductance = configuration.contactConductanceWattsPerSquareMetreKelvin
    surface = configuration.surface
    self.area = area
    for i in 0..<nodeCount {
      stepPerfusion[i] = perfusion[i]
      constantSource[i] = perfusion[i] * arterialCelsius + metabolic[i]
      totalMetabolicWatts += metabolic[i]
      tissueLaserShare += laserShare[i]
    }
    firstFatNode = nodeCount
    firstMuscleNode = nodeCount
    for i in (TissueColumn.firstTissueNode..<nodeCount).reversed() {
      if layers[i] != .skin { firstFatNode = i }
      if layers[i] == .muscle { firstMuscleNode = i }
    }
    constantSource[nodeCount - 1] += conductanceBelow[nodeCount - 1] * coreCelsius
    constantSource[TissueColumn.firstTissueNode] += surfaceSourceWatts
    constantSource[TissueColumn.plateNode] += ambientConductance * ambientCelsius
    constantSource[TissueColumn.hotSideNode] += heatsinkConductance * coolantCelsius
  }

  private static func conductivity(_ configuration: PlantConfiguration, _ layer: TissueLayer)
    -> Double
  {
    switch layer {
    case .skin: configuration.skin.conductivityWattsPerMetreKelvin
    case .fat: configuration.fat.conductivityWattsPerMetreKelvin
    case .muscle: configuration.muscle.conductivityWattsPerMetreKelvin
    }
  }

  /// The plate temperature, °C.
  public var plateCelsius: Double { celsius[TissueColumn.plateNode] }
  /// The TEC hot-side temperature, °C.
  public var hotSideCelsius: Double { celsius[TissueColumn.hotSideNode] }
  /// The depth of the column from the skin surface to the core boundary, m.
  public var depthMetres: Double { totalDepth }

  /// The temperature of a node, °C.
  public func celsius(ofNode node: Int) -> Double { celsius[node] }

  /// The centre of a tissue node, m below the skin surface.
  public func centreMetres(_ node: Int) -> Double { centre[node] }
  /// The thickness of a tissue node, m.
  public func thicknessMetres(_ node: Int) -> Double { size[node] }
  /// The tissue of a tissue node.
  public func layer(_ node: Int) -> TissueLayer { layers[node] }

  /// The skin surface temperature, °C: where the surface boundary and the
  /// top cell's half-cell resistance meet.
  public var surfaceCelsius: Double {
    var column = self
    return column.sampleSurface()
  }

  /// The temperature at a probe location, °C; in tissue, interpolated
  /// linearly between cell centres (the surface above the first, the core
  /// boundary below the last, the core temperature deeper than the column).
  ///
  /// This reads a copy of the column; the simulator's per-tick reads use
  /// ``sampleTemperature(at:)``, which reads in place.
  public func temperature(at location: ProbeLocation) -> Double {
    var column = self
    return column.sampleTemperature(at: location)
  }

  /// ``temperature(at:)`` read in place: `mutating` only so that the
  /// column's `InlineArray`s are read where they are (a non-mutating read of
  /// an `InlineArray` element copies the whole array on this toolchain
  /// unless the optimiser inlines it away). It changes nothing.
  public mutating func sampleTemperature(at location: ProbeLocation) -> Double {
    switch location {
    case .plate: return celsius[TissueColumn.plateNode]
    case .hotSide: return celsius[TissueColumn.hotSideNode]
    case .depth(let metres):
      let first = TissueColumn.firstTissueNode
      if metres <= centre[first] {
        let t = max(metres, 0) / centre[first]
        return celsius[first] * t + sampleSurface() * (1 - t)
      }
      let last = nodeCount - 1
      if metres >= centre[last] {
        guard metres < totalDepth else { return coreCelsius }
        let t = (metres - centre[last]) / (totalDepth - centre[last])
        return celsius[last] + t * (coreCelsius - celsius[last])
      }
      // Binary search for the pair of centres around the depth.
      var low = first
      var high = last
      while high - low > 1 {
        let middle = (low + high) / 2
        if centre[middle] <= metres { low = middle } else { high = middle }
      }
      let t = (metres - centre[low]) / (centre[high] - centre[low])
      return celsius[low] + t * (celsius[high] - celsius[low])
    }
  }

  /// ``surfaceCelsius`` read in place (see ``sampleTemperature(at:)``).
  public mutating func sampleSurface() -> Double {
    let first = TissueColumn.firstTissueNode
    let halfCell = skinConductivity / centre[first]
    switch surface {
    case .heldTemperature(let held): return held
    case .extractedFlux(let flux): return celsius[first] - flux / halfCell
    case .convective(let coefficient, let fluid):
      return (coefficient * fluid + halfCell * celsius[first]) / (coefficient + halfCell)
    case .applicator:
      return (contactConductance * celsius[TissueColumn.plateNode] + halfCell * celsius[first])
        / (contactConductance + halfCell)
    }
  }

  /// Changes the plate–skin contact conductance (contact lost or regained),
  /// W/(m²·K). Only an applicator surface has a contact.
  public mutating func setContactConductance(_ wattsPerSquareMetreKelvin: Double) {
    guard case .applicator = surface, wattsPerSquareMetreKelvin > 0 else { return }
    let first = TissueColumn.firstTissueNode
    let topHalf = size[first] / (2 * skinConductivity)
    contactConductance = wattsPerSquareMetreKelvin
    conductanceBelow[TissueColumn.plateNode] = area / (1 / wattsPerSquareMetreKelvin + topHalf)
    factoredStepSeconds = 0
  }

  /// Multiplies the TEC heatsink's thermal resistance (coolant lost, a
  /// fouled radiator). No effect without a TEC.
  public mutating func scaleHeatsinkResistance(by factor: Double) {
    guard heatsinkConductance > 0, factor > 0 else { return }
    let hot = TissueColumn.hotSideNode
    constantSource[hot] -= heatsinkConductance * coolantCelsius
    heatsinkConductance /= factor
    constantSource[hot] += heatsinkConductance * coolantCelsius
    factoredStepSeconds = 0
  }

  /// Moves a held plate to a new temperature (a laser's contact-cooling
  /// plate whose coolant stopped). No effect on a plate that is not held.
  public mutating func setHeldPlateCelsius(_ celsius: Double) {
    guard plateHeld, case .applicator = surface else { return }
    self.celsius[TissueColumn.plateNode] = celsius
  }

  /// The sensible heat stored in the nodes that are not held, J (relative
  /// to 0 °C); latent heat is not counted.
  public var storedJoules: Double {
    var total = 0.0
    let start = plateHeld ? TissueColumn.firstTissueNode : TissueColumn.hotSideNode
    for i in start..<nodeCount { total += capacity[i] * celsius[i] }
    return total
  }

  /// A freeze event: supercooled tissue water nucleates. Each cell below the
  /// freezing start jumps to the temperature where its sensible plus latent
  /// heat is unchanged at equilibrium (latent heat released, temperature
  /// up), and from then on freezes in equilibrium until the whole column has
  /// rewarmed above the freezing start. No effect without freezing parameters.
  public mutating func freezeEvent() {
    guard let freezing = configuration.freezing, !isFreezing else { return }
    isFreezing = true
    let band = freezing.startCelsius - freezing.endCelsius
    for i in TissueColumn.firstTissueNode..<nodeCount where celsius[i] < freezing.startCelsius {
      let c = capacity[i]
      let l = latent[i]
      // C·T' + L·(T' − end)/band = C·T + L, if T' lands inside the band.
      let inside = (c * celsius[i] + l + l * freezing.endCelsius / band) / (c + l / band)
      celsius[i] = inside >= freezing.endCelsius ? inside : celsius[i] + l / c
    }
  }

  /// Advances the column by `seconds`, in substeps of at most ``maximumStepSeconds``.
  ///
  /// - Parameters:
  ///   - tecCurrentAmperes: current through the Peltier module; positive
  ///     pumps heat out of the plate (cools it), negative heats it.
  ///   - laserFraction: emitted power as a fraction of the maximum, 0 … 1.
  public mutating func step(seconds: Double, tecCurrentAmperes: Double, laserFraction: Double) {
    guard seconds > 0 else { return }
    let count = max(1, Int(min(Elementary.roundedUp(seconds / maximumStepSeconds), 1e9)))
    let dt = seconds / Double(count)
    for _ in 0..<count {
      substep(dt: dt, current: tecCurrentAmperes, laser: laserFraction)
    }
    recordDepthDose(seconds: seconds)
  }

  private mutating func substep(dt: Double, current: Double, laser: Double) {
    if perfusionCoefficient == 0 && !isFreezing {
      factoredSubstep(dt: dt, current: current, laser: laser)
    } else {
      generalSubstep(dt: dt, current: current, laser: laser)
    }
  }

  /// The row coefficients below and above node i (a_i, c_i); zero on held rows.
  @inline(__always)
  private func isHeld(_ i: Int) -> Bool {
    (i == TissueColumn.hotSideNode && hotSideHeld) || (i == TissueColumn.plateNode && plateHeld)
  }

  /// Factors the matrix for a step length, bottom up. Every row but the
  /// heatsink's and the plate's is constant while perfusion is constant and
  /// nothing freezes, so the elimination of rows 2 … n−1 is done once and a
  /// step costs two light sweeps.
  private mutating func factor(dt: Double) {
    factoredStepSeconds = dt
    let last = nodeCount - 1
    let first = TissueColumn.firstTissueNode
    for i in 0...last { storeConductance[i] = capacity[i] / dt }
    // b_i without the Peltier term; rows ≥ 2 are never held.
    var pivot =
      storeConductance[last] + conductanceBelow[last - 1] + conductanceBelow[last]
      + perfusion[last]
    inversePivot[last] = 1 / pivot
    var i = last - 1
    while i >= first {
      let diagonal =
        storeConductance[i] + conductanceBelow[i - 1] + conductanceBelow[i] + perfusion[i]
      // c_i = −G_i, a_(i+1) = −G_i: b'_i = b_i − (c_i / b'_(i+1))·a_(i+1).
      let factor = -conductanceBelow[i] / pivot
      eliminationFactor[i] = factor
      pivot = diagonal - factor * -conductanceBelow[i]
      inversePivot[i] = 1 / pivot
      i -= 1
    }
    let plate = TissueColumn.plateNode
    if plateHeld {
      eliminationFactor[plate] = 0
      plateBasePivot = 1
    } else {
      let factor = -conductanceBelow[plate] / pivot
      eliminationFactor[plate] = factor
      let diagonal =
        storeConductance[plate] + conductanceBelow[0] + conductanceBelow[plate]
        + ambientConductance
      plateBasePivot = diagonal - factor * -conductanceBelow[plate]
    }
  }

  /// One backward-Euler step on the factored matrix (constant coefficients).
  private mutating func factoredSubstep(dt: Double, current: Double, laser: Double) {
    if dt != factoredStepSeconds { factor(dt: dt) }
    let kelvinOffset = 273.15
    let absorbedWatts = min(max(laser, 0), 1) * fullAbsorbedWatts
    let peltier = seebeckVoltsPerKelvin * current
    let joule = jouleOhms * current * current
    let last = nodeCount - 1
    let first = TissueColumn.firstTissueNode
    let hot = TissueColumn.hotSideNode
    let plate = TissueColumn.plateNode
    // Bottom up: d'_i = d_i − m_i·d'_(i+1), with d_i = C/dt·T + sources.
    var reduced =
      storeConductance[last] * celsius[last] + constantSource[last] + absorbedWatts
      * laserShare[last]
    scratchRight[last] = reduced
    var i = last - 1
    while i >= first {
      let right =
        storeConductance[i] * celsius[i] + constantSource[i] + absorbedWatts * laserShare[i]
      reduced = right - eliminationFactor[i] * reduced
      scratchRight[i] = reduced
      i -= 1
    }
    // The plate and heatsink rows carry the Peltier terms, which change every step.
    var platePivot = 1.0
    var plateRight = celsius[plate]
    if !plateHeld {
      platePivot = plateBasePivot + peltier
      plateRight =
        storeConductance[plate] * celsius[plate] + constantSource[plate] - peltier * kelvinOffset
        + joule - eliminationFactor[plate] * reduced
    }
    var hotPivot = 1.0
    var hotRight = celsius[hot]
    var hotFactor = 0.0
    if !hotSideHeld {
      hotFactor = -conductanceBelow[hot] / platePivot
      let diagonal =
        storeConductance[hot] + conductanceBelow[hot] - peltier + heatsinkConductance
      let below = plateHeld ? 0 : -conductanceBelow[hot]
      hotPivot = diagonal - hotFactor * below
      hotRight =
        storeConductance[hot] * celsius[hot] + constantSource[hot] + peltier * kelvinOffset
        + joule - hotFactor * plateRight
    }
    // Top down: x_i = (d'_i − a_i·x_(i−1)) / b'_i.
    let hotCelsius = hotRight / hotPivot
    celsius[hot] = hotCelsius
    let plateLower = plateHeld ? 0 : -conductanceBelow[hot]
    var above = (plateRight - plateLower * hotCelsius) / platePivot
    celsius[plate] = above
    for j in first...last {
      above = (scratchRight[j] + conductanceBelow[j - 1] * above) * inversePivot[j]
      celsius[j] = above
    }
    account(dt: dt, peltier: peltier, joule: joule, absorbedWatts: absorbedWatts)
  }

  /// One backward-Euler step with coefficients evaluated at the step's start
  /// (temperature-dependent perfusion, freezing): the full Thomas algorithm.
  private mutating func generalSubstep(dt: Double, current: Double, laser: Double) {
    let kelvinOffset = 273.15
    let absorbedWatts = min(max(laser, 0), 1) * fullAbsorbedWatts
    let peltier = seebeckVoltsPerKelvin * current
    let joule = jouleOhms * current * current
    let freezeBand = isFreezing ? freezeStartCelsius - freezeEndCelsius : 0
    var stillFreezing = false

    // Forward sweep over (C/dt + ΣG + P)·T' − Σ G·T'_neighbour = C/dt·T + P·T_a + Q.
    var previousUpper = 0.0
    var previousRight = 0.0
    for i in 0..<nodeCount {
      let held =
        (i == TissueColumn.hotSideNode && hotSideHeld) || (i == TissueColumn.plateNode && plateHeld)
      var diagonal = 1.0
      var right = celsius[i]
      var lower = 0.0
      var upper = 0.0
      if !held {
        let above = i > 0 ? conductanceBelow[i - 1] : 0
        let below = conductanceBelow[i]
        var heat = capacity[i]
        if freezeBand > 0 && i >= TissueColumn.firstTissueNode && celsius[i] < freezeStartCelsius {
          stillFreezing = true
          if celsius[i] > freezeEndCelsius { heat += latent[i] / freezeBand }
        }
        var blood = perfusion[i]
        if perfusionCoefficient != 0 {
          blood *= min(max(1 + perfusionCoefficient * (celsius[i] - arterialCelsius), 0), 5)
        }
        stepPerfusion[i] = blood
        let store = heat / dt
        diagonal = store + above + below + blood
        right =
          store * celsius[i] + blood * arterialCelsius + metabolic[i] + absorbedWatts
          * laserShare[i]
        lower = i > 0 ? -above : 0
        upper = i + 1 < nodeCount ? -below : 0
        if i == nodeCount - 1 { right += below * coreCelsius }
        if i == TissueColumn.firstTissueNode { right += surfaceSourceWatts }
        if i == TissueColumn.plateNode {
          // The plate loses S·I·T (T in kelvin) and gains half the Joule heat.
          diagonal += peltier + ambientConductance
          right += -peltier * kelvinOffset + joule + ambientConductance * ambientCelsius
        } else if i == TissueColumn.hotSideNode {
          diagonal += -peltier + heatsinkConductance
          right += peltier * kelvinOffset + joule + heatsinkConductance * coolantCelsius
        }
      }
      let denominator = diagonal - lower * previousUpper
      previousUpper = upper / denominator
      previousRight = (right - lower * previousRight) / denominator
      scratchUpper[i] = previousUpper
      scratchRight[i] = previousRight
    }
    var next = scratchRight[nodeCount - 1]
    celsius[nodeCount - 1] = next
    var i = nodeCount - 2
    while i >= 0 {
      next = scratchRight[i] - scratchUpper[i] * next
      celsius[i] = next
      i -= 1
    }
    if isFreezing && !stillFreezing { isFreezing = false }
    account(dt: dt, peltier: peltier, joule: joule, absorbedWatts: absorbedWatts)
  }

  /// Books this step's flows at the new temperatures, with the coefficients
  /// the solve used (perfusion's temperature factor is the one of the step's
  /// start), so the books balance to round-off. Hot-path code reads the
  /// arrays directly: a non-mutating accessor that reads an `InlineArray`
  /// element copies the whole array on this toolchain unless it is inlined.
  private mutating func account(dt: Double, peltier: Double, joule: Double, absorbedWatts: Double) {
    let first = TissueColumn.firstTissueNode
    let last = nodeCount - 1
    let plate = TissueColumn.plateNode
    let hot = TissueColumn.hotSideNode
    var blood = 0.0
    for i in first...last { blood += stepPerfusion[i] * (arterialCelsius - celsius[i]) }
    let core = conductanceBelow[last] * (coreCelsius - celsius[last])
    let light = absorbedWatts * tissueLaserShare
    var surfaceWatts = 0.0
    var electric = 0.0
    var coolant = 0.0
    var room = 0.0
    if plateHeld {
      surfaceWatts =
        conductanceBelow[plate] * (celsius[plate] - celsius[first]) + surfaceSourceWatts
    } else {
      // Peltier: the hot side gains S·I·T_hot, the plate loses S·I·T_plate (the kelvin offsets cancel).
      electric =
        peltier * (celsius[hot] - celsius[plate]) + 2 * joule
      coolant = heatsinkConductance * (coolantCelsius - celsius[hot])
      room = ambientConductance * (ambientCelsius - celsius[plate])
    }
    energy.coreJoules += core * dt
    energy.perfusionJoules += blood * dt
    energy.metabolicJoules += totalMetabolicWatts * dt
    energy.laserJoules += light * dt
    energy.surfaceJoules += surfaceWatts * dt
    energy.thermoelectricJoules += electric * dt
    energy.coolantJoules += coolant * dt
    energy.ambientJoules += room * dt
    energy.absoluteJoules +=
      (abs(core) + abs(blood) + abs(totalMetabolicWatts) + abs(light) + abs(surfaceWatts)
        + abs(electric) + abs(coolant) + abs(room)) * dt
  }

  private mutating func recordDepthDose(seconds: Double) {
    let first = TissueColumn.firstTissueNode
    let surface = sampleSurface()
    let threshold = DepthDose.lipidThresholdCelsius
    var front = 0.0
    if surface <= threshold {
      var depth = 0.0
      var above = surface
      var node = first
      while node < nodeCount {
        let here = celsius[node]
        let middle = centre[node]
        if here > threshold {
          front = depth + (middle - depth) * (threshold - above) / (here - above)
          break
        }
        depth = middle
        above = here
        front = middle
        node += 1
      }
    }
    var skinMaximum = max(depthDose.skinMaximumCelsius, surface)
    for node in first..<firstFatNode { skinMaximum = max(skinMaximum, celsius[node]) }
    var fatMetreSeconds = 0.0
    for node in firstFatNode..<firstMuscleNode where celsius[node] <= threshold {
      fatMetreSeconds += size[node] * seconds
    }
    depthDose.frontDepthMetres = front
    depthDose.maximumFrontDepthMetres = max(depthDose.maximumFrontDepthMetres, front)
    if surface < DepthDose.skinFreezingCelsius { depthDose.skinSecondsBelowFreezing += seconds }
    depthDose.skinMaximumCelsius = skinMaximum
    depthDose.fatMetreSecondsAtOrBelowThreshold += fatMetreSeconds
  }
}
