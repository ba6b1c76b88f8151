#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// How a channel that reports resistance (a thermistor or an RTD behind
  /// an ADC) becomes a temperature.
  public enum ResistanceCurve: Sendable, Equatable {
    /// The Beta equation: 1/T = 1/T₀ + ln(R/R₀)/β, T in kelvin.
    case beta(referenceOhms: Double, referenceCelsius: Double, beta: Double)
    /// Steinhart–Hart: 1/T = A + B·ln R + C·(ln R)³, T in kelvin, R in ohms.
    case steinhartHart(a: Double, b: Double, c: Double)

    /// The temperature at `ohms`, °C, or `nil` when the resistance is not
    /// positive or the curve gives no finite temperature above 0 K.
    public func celsius(ohms: Double) -> Double? {
      guard ohms > 0, ohms.isFinite else { return nil }
      let inverseKelvin: Double
      switch self {
      case .beta(let referenceOhms, let referenceCelsius, let beta):
        inverseKelvin = 1 / (referenceCelsius + 273.15) + log(ohms / referenceOhms) / beta
      case .steinhartHart(let a, let b, let c):
        let l = log(ohms)
        inverseKelvin = a + b * l + c * l * l * l
      }
      let kelvin = 1 / inverseKelvin
      guard kelvin.isFinite, kelvin > 0 else { return nil }
      return kelvin - 273.15
    }
  }

  /// A sensor's calibration from the board file: a resistance curve for
  /// channels that report ohms, then an offset added to every reading.
  public struct SensorCalibration: Sendable, Equatable {
    /// Added to every temperature, °C.
    public var offsetCelsius: Double
    /// For resistance channels: the curve from ohms to °C.
    public var curve: ResistanceCurve?

    /// Creates a calibration; the default changes nothing.
    public init(offsetCelsius: Double = 0, curve: ResistanceCurve? = nil) {
      self.offsetCelsius = offsetCelsius
      self.curve = curve
    }
  }
#endif
