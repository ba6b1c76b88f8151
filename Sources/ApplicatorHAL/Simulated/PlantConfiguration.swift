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

/// Geometry and physics of the simulated applicator on tissue.
///
/// Defaults come from `physics.md`: a 50 cm² aluminium plate of ≈ 36 J/K, a
/// gel-pad contact of 300 W/(m²·K), 2 mm skin, 20 mm fat, 20 mm muscle over a
/// 37 °C core, IT'IS tissue properties.
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

  /// Creates the default configuration.
  public init() {}
}
