import ApplicatorHAL

/// The thermoelectric cooler between the plate and its heatsink (a 12706-class module by default).
public struct TECParameters: Sendable, Equatable {
  /// Module Seebeck coefficient S, V/K.
  public var seebeckVoltsPerKelvin: Double = 0.05
  /// Module electrical resistance R, Ω.
  public var resistanceOhms: Double = 2.0
  /// Module thermal conductance K (back-conduction), W/K.
  public var conductanceWattsPerKelvin: Double = 0.5
  /// Current at a command of ±1, A.
  public var maximumCurrentAmperes: Double = 6.0
  /// Heatsink thermal resistance to the coolant, K/W.
  public var heatsinkResistanceKelvinPerWatt: Double = 0.08
  /// Heat capacity of the hot side and heatsink, J/K.
  public var heatsinkCapacityJoulesPerKelvin: Double = 300
  /// Coolant (liquid loop or air) temperature, °C.
  public var coolantCelsius: Double = 20

  /// Creates the default module.
  public init() {}
}

/// The laser source: irradiance at full command and how much of it the tissue absorbs.
public struct LaserParameters: Sendable, Equatable {
  /// Irradiance at a command of 1, W/m² (1.4 W/cm² by default).
  public var maximumIrradianceWattsPerSquareMetre: Double = 14_000
  /// Fraction of the light that enters the tissue and is absorbed in the
  /// column (the rest is reflected or scattered sideways out of it) (est.).
  public var absorbedFraction: Double = 0.5
  /// Temperature at which the contact-cooling plate is held, °C (est. 15–20).
  public var coolingPlateCelsius: Double = 18

  /// Creates the default source.
  public init() {}
}

/// What drives the applicator plate.
public enum PlateDrive: Sendable, Equatable {
  /// A Peltier module pumps heat between the plate and a heatsink (cryolipolysis).
  case thermoelectric(TECParameters)
  /// The plate is a contact-cooling window held at a fixed temperature by its
  /// own chiller, and a laser heats the tissue through it (laser lipolysis).
  case laserWithContactCooling(LaserParameters)
}

/// What the skin surface sees.
public enum SurfaceBoundary: Sendable, Equatable {
  /// The applicator's plate through the contact layer, driven as ``PlateDrive`` says
  /// (closed loop: the controller drives the plate).
  case applicator
  /// Open loop: the skin surface held at a fixed temperature, °C.
  case heldTemperature(celsius: Double)
  /// Open loop: a fixed convective coefficient, W/(m²·K), to a fluid at a fixed temperature, °C.
  case convective(wattsPerSquareMetreKelvin: Double, fluidCelsius: Double)
  /// Open loop: a fixed heat flux extracted from the skin surface, W/m² (negative adds heat).
  case extractedFlux(wattsPerSquareMetre: Double)
}

/// How the cells of one tissue layer are sized: the first cell (at the top
/// of the layer) is `firstCellMetres`, each next one `growth` times larger,
/// up to `maximumCellMetres`.
public struct LayerGrid: Sendable, Equatable {
  /// Size of the layer's top cell, m.
  public var firstCellMetres: Double
  /// Ratio of a cell's size to the one above it (1 for a uniform grid).
  public var growth: Double = 1
  /// Largest cell, m.
  public var maximumCellMetres: Double

  /// Creates a grid; a uniform one when `growth` is 1.
  public init(firstCellMetres: Double, growth: Double = 1, maximumCellMetres: Double? = nil) {
    self.firstCellMetres = firstCellMetres
    self.growth = growth
    self.maximumCellMetres = maximumCellMetres ?? firstCellMetres
  }
}

/// Freezing of tissue water (optional): latent heat over a temperature band,
/// supercooling until a freeze event, then equilibrium freezing.
public struct FreezingParameters: Sendable, Equatable {
  /// Latent heat of water, J/kg (scaled by each tissue's water fraction).
  public var latentHeatJoulesPerKilogram: Double = 333_000
  /// Where freezing starts on cooling, °C.
  public var startCelsius: Double = -0.5
  /// Where all water is frozen, °C.
  public var endCelsius: Double = -8
  /// A spontaneous freeze event may happen while the skin surface is below this, °C.
  public var nucleationBelowCelsius: Double = -3
  /// Rate of spontaneous freeze events while below the threshold, 1/s (0: only scheduled events).
  public var nucleationRatePerSecond: Double = 0

  /// Creates the default parameters.
  public init() {}
}

/// Geometry and physics of the simulated applicator on tissue.
///
/// Defaults come from `physics.md`: a 50 cm² aluminium plate of ≈ 36 J/K, a
/// gel-pad contact of 300 W/(m²·K), 2 mm skin, 20 mm fat, 20 mm muscle over a
/// 37 °C core, IT'IS tissue properties; cells of 0.25 mm in skin, 0.5 mm in
/// fat and 1 mm in muscle (the grid the validation tests pass on).
public struct PlantConfiguration: Sendable, Equatable {
  /// Treated area, m².
  public var areaSquareMetres: Double = 0.005
  /// Plate heat capacity, J/K.
  public var plateHeatCapacityJoulesPerKelvin: Double = 36
  /// Contact (gel pad) conductance between plate and skin, W/(m²·K).
  public var contactConductanceWattsPerSquareMetreKelvin: Double = 300
  /// Leak from the plate to the room, W/K.
  public var plateAmbientConductanceWattsPerKelvin: Double = 0.05
  /// Room temperature, °C.
  public var ambientCelsius: Double = 25
  /// Plate temperature at the start, °C.
  public var initialPlateCelsius: Double = 25
  /// Skin surface temperature at the start, °C (the tissue starts on a linear
  /// profile from here to the core).
  public var initialSkinCelsius: Double = 33
  /// Skin thickness, m.
  public var skinThicknessMetres: Double = 0.002
  /// Fat thickness, m.
  public var fatThicknessMetres: Double = 0.020
  /// Muscle thickness down to the core boundary, m.
  public var muscleThicknessMetres: Double = 0.020
  /// Scale on every tissue's nominal perfusion, 0 … 1 (a vacuum cup compresses the fold).
  public var perfusionScale: Double = 1
  /// Arterial blood temperature, °C.
  public var arterialCelsius: Double = 37
  /// Core temperature below the muscle, °C.
  public var coreCelsius: Double = 37
  /// Skin properties.
  public var skin: TissueProperties = .skin
  /// Fat properties.
  public var fat: TissueProperties = .fat
  /// Muscle properties.
  public var muscle: TissueProperties = .muscle
  /// What drives the plate.
  public var drive: PlateDrive = .thermoelectric(TECParameters())
  /// What the skin surface sees: the applicator (closed loop) or a fixed
  /// open-loop boundary.
  public var surface: SurfaceBoundary = .applicator
  /// Cell sizes in the skin (default 0.25 mm).
  public var skinGrid = LayerGrid(firstCellMetres: 0.25e-3)
  /// Cell sizes in the fat (default 0.5 mm).
  public var fatGrid = LayerGrid(firstCellMetres: 0.5e-3)
  /// Cell sizes in the muscle (default 1 mm).
  public var muscleGrid = LayerGrid(firstCellMetres: 1e-3)
  /// Temperature dependence of perfusion: the nominal rate is scaled by
  /// `1 + coefficient·(T − arterial)`, clamped to 0 … 5 (0: constant perfusion), 1/K.
  public var perfusionTemperatureCoefficientPerKelvin: Double = 0
  /// Freezing of tissue water; `nil` leaves it out.
  public var freezing: FreezingParameters? = nil

  /// Creates the default configuration.
  public init() {}
}
