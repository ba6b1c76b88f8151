import ApplicatorHAL

/// Thermal properties of one tissue (IT'IS database V4.2 values by default).
public struct TissueProperties: Sendable, Equatable {
  /// Density, kg/m³.
  public var densityKilogramsPerCubicMetre: Double
  /// Specific heat capacity, J/(kg·K).
  public var specificHeatJoulesPerKilogramKelvin: Double
  /// Thermal conductivity, W/(m·K).
  public var conductivityWattsPerMetreKelvin: Double
  /// Blood perfusion rate at nominal conditions, 1/s (volume of blood per volume of tissue).
  public var perfusionPerSecond: Double
  /// Effective attenuation of 1060 nm light, 1/m.
  public var attenuationPerMetre: Double
  /// Metabolic heat, W/kg.
  public var metabolicWattsPerKilogram: Double
  /// Mass fraction of water (what can freeze), 0 … 1.
  public var waterFraction: Double

  /// Creates a set of properties.
  public init(
    density: Double, specificHeat: Double, conductivity: Double, perfusion: Double,
    attenuationPerMetre: Double, metabolicWattsPerKilogram: Double = 1, waterFraction: Double = 0.7
  ) {
    densityKilogramsPerCubicMetre = density
    specificHeatJoulesPerKilogramKelvin = specificHeat
    conductivityWattsPerMetreKelvin = conductivity
    perfusionPerSecond = perfusion
    self.attenuationPerMetre = attenuationPerMetre
    self.metabolicWattsPerKilogram = metabolicWattsPerKilogram
    self.waterFraction = waterFraction
  }

  /// Volumetric heat capacity ρc, J/(m³·K).
  public var volumetricHeatCapacity: Double {
    densityKilogramsPerCubicMetre * specificHeatJoulesPerKilogramKelvin
  }

  /// Skin (IT'IS): ρ 1109, c 3390.5, k 0.372, w 1.97e-3; μ_eff ≈ 4 /cm, metabolism
  /// ≈ 1 W/kg, water 0.7 (est.).
  public static let skin = TissueProperties(
    density: 1109, specificHeat: 3390.5, conductivity: 0.372, perfusion: 1.97e-3,
    attenuationPerMetre: 400, metabolicWattsPerKilogram: 1, waterFraction: 0.7)
  /// Fat (IT'IS): ρ 911, c 2348, k 0.21, w 5.0e-4 (est.); μ_eff ≈ 1.2 /cm, metabolism
  /// ≈ 1 W/kg, water 0.2 (est.).
  public static let fat = TissueProperties(
    density: 911, specificHeat: 2348, conductivity: 0.21, perfusion: 5.0e-4,
    attenuationPerMetre: 120, metabolicWattsPerKilogram: 1, waterFraction: 0.2)
  /// Muscle (IT'IS): ρ 1090.4, c 3421.2, k 0.495, w 6.68e-4; μ_eff ≈ 3 /cm, metabolism
  /// ≈ 1 W/kg, water 0.75 (est.).
  public static let muscle = TissueProperties(
    density: 1090.4, specificHeat: 3421.2, conductivity: 0.495, perfusion: 6.68e-4,
    attenuationPerMetre: 300, metabolicWattsPerKilogram: 1, waterFraction: 0.75)
  /// Blood: ρ 1049.75, c 3617.
  public static let blood = TissueProperties(
    density: 1049.75, specificHeat: 3617, conductivity: 0.517, perfusion: 0,
    attenuationPerMetre: 0, metabolicWattsPerKilogram: 0, waterFraction: 0.8)
}
