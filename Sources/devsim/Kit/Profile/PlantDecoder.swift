import ApplicatorSimulation
import ThermalLoop

/// Decodes a profile's `plant` object: geometry, tissues, grid, surface
/// boundary, TEC or laser, freezing.
package enum PlantDecoder {
  package static func decode(_ reader: JSONReader?, mode: TreatmentMode) throws
    -> PlantConfiguration
  {
    var plant = PlantConfiguration()
    switch mode {
    case .cryolipolysis: plant.drive = .thermoelectric(TECParameters())
    case .laserLipolysis: plant.drive = .laserWithContactCooling(LaserParameters())
    }
    guard let reader else { return plant }
    let object = try reader.object()
    try object.number("areaCm2", in: 0.1...10_000) { plant.areaSquareMetres = $0 * 1e-4 }
    try object.number("plateHeatCapacity", in: 0.1...1e5) {
      plant.plateHeatCapacityJoulesPerKelvin = $0
    }
    try object.number("contactConductance", in: 1...1e6) {
      plant.contactConductanceWattsPerSquareMetreKelvin = $0
    }
    try object.number("plateAmbientConductance", in: 0...100) {
      plant.plateAmbientConductanceWattsPerKelvin = $0
    }
    try object.number("ambient", in: -40...60) { plant.ambientCelsius = $0 }
    try object.number("initialPlate", in: -40...80) { plant.initialPlateCelsius = $0 }
    try object.number("initialSkin", in: -20...45) { plant.initialSkinCelsius = $0 }
    try object.number("skinMm", in: 0.1...20) { plant.skinThicknessMetres = $0 * 1e-3 }
    try object.number("fatMm", in: 0.5...200) { plant.fatThicknessMetres = $0 * 1e-3 }
    try object.number("muscleMm", in: 1...300) { plant.muscleThicknessMetres = $0 * 1e-3 }
    try object.number("perfusionScale", in: 0...1) { plant.perfusionScale = $0 }
    try object.number("perfusionTemperatureCoefficient", in: -1...1) {
      plant.perfusionTemperatureCoefficientPerKelvin = $0
    }
    try object.number("arterial", in: 30...45) { plant.arterialCelsius = $0 }
    try object.number("core", in: -20...45) { plant.coreCelsius = $0 }
    if let node = object.optional("tissues") {
      let tissues = try node.object()
      if let item = tissues.optional("skin") { plant.skin = try decodeTissue(item, plant.skin) }
      if let item = tissues.optional("fat") { plant.fat = try decodeTissue(item, plant.fat) }
      if let item = tissues.optional("muscle") {
        plant.muscle = try decodeTissue(item, plant.muscle)
      }
      try tissues.finish()
    }
    if let node = object.optional("grid") {
      let grids = try node.object()
      if let item = grids.optional("skin") { plant.skinGrid = try decodeGrid(item, plant.skinGrid) }
      if let item = grids.optional("fat") { plant.fatGrid = try decodeGrid(item, plant.fatGrid) }
      if let item = grids.optional("muscle") {
        plant.muscleGrid = try decodeGrid(item, plant.muscleGrid)
      }
      try grids.finish()
    }
    if let node = object.optional("surface") { plant.surface = try decodeSurface(node) }
    if let node = object.optional("tec") {
      guard mode == .cryolipolysis else {
        throw node.fail("a TEC belongs to a cryolipolysis profile")
      }
      var tec = TECParameters()
      let fields = try node.object()
      try fields.number("seebeck", in: 1e-4...1) { tec.seebeckVoltsPerKelvin = $0 }
      try fields.number("resistance", in: 1e-3...100) { tec.resistanceOhms = $0 }
      try fields.number("conductance", in: 0...100) { tec.conductanceWattsPerKelvin = $0 }
      try fields.number("maxCurrent", in: 0.01...100) { tec.maximumCurrentAmperes = $0 }
      try fields.number("heatsinkResistance", in: 1e-4...100) {
        tec.heatsinkResistanceKelvinPerWatt = $0
      }
      try fields.number("heatsinkCapacity", in: 1...1e6) {
        tec.heatsinkCapacityJoulesPerKelvin = $0
      }
      try fields.number("coolant", in: -20...60) { tec.coolantCelsius = $0 }
      try fields.finish()
      plant.drive = .thermoelectric(tec)
    }
    if let node = object.optional("laser") {
      guard mode == .laserLipolysis else {
        throw node.fail("a laser belongs to a laser-lipolysis profile")
      }
      var laser = LaserParameters()
      let fields = try node.object()
      try fields.number("maxIrradianceWPerCm2", in: 0...10) {
        laser.maximumIrradianceWattsPerSquareMetre = $0 * 1e4
      }
      try fields.number("absorbedFraction", in: 0...1) { laser.absorbedFraction = $0 }
      try fields.number("coolingPlate", in: -10...40) { laser.coolingPlateCelsius = $0 }
      try fields.finish()
      plant.drive = .laserWithContactCooling(laser)
    }
    if let node = object.optional("freezing") { plant.freezing = try decodeFreezing(node) }
    try object.finish()
    let nodes = TissueColumn.nodeCount(for: plant)
    guard nodes <= maximumColumnNodes else {
      throw reader.fail(
        "the grid needs \(nodes) nodes, more than \(maximumColumnNodes): use larger cells or a growth factor"
      )
    }
    return plant
  }

  private static func decodeTissue(_ reader: JSONReader, _ base: TissueProperties) throws
    -> TissueProperties
  {
    var tissue = base
    let fields = try reader.object()
    try fields.number("density", in: 100...5000) { tissue.densityKilogramsPerCubicMetre = $0 }
    try fields.number("specificHeat", in: 100...10_000) {
      tissue.specificHeatJoulesPerKilogramKelvin = $0
    }
    try fields.number("conductivity", in: 0.01...500) {
      tissue.conductivityWattsPerMetreKelvin = $0
    }
    try fields.number("perfusion", in: 0...0.1) { tissue.perfusionPerSecond = $0 }
    try fields.number("attenuationPerCm", in: 0...1000) { tissue.attenuationPerMetre = $0 * 100 }
    try fields.number("metabolic", in: 0...100) { tissue.metabolicWattsPerKilogram = $0 }
    try fields.number("water", in: 0...1) { tissue.waterFraction = $0 }
    try fields.finish()
    return tissue
  }

  private static func decodeGrid(_ reader: JSONReader, _ base: LayerGrid) throws -> LayerGrid {
    let fields = try reader.object()
    var first = base.firstCellMetres
    var growth = base.growth
    var maximum: Double? = nil
    try fields.number("firstCellMm", in: 0.01...100) { first = $0 * 1e-3 }
    try fields.number("growth", in: 1...2) { growth = $0 }
    try fields.number("maxCellMm", in: 0.01...100) { maximum = $0 * 1e-3 }
    try fields.finish()
    let largest = maximum ?? (growth == 1 ? first : max(first, base.maximumCellMetres))
    guard largest >= first else {
      throw reader.fail("maxCellMm is smaller than firstCellMm")
    }
    return LayerGrid(firstCellMetres: first, growth: growth, maximumCellMetres: largest)
  }

  private static func decodeSurface(_ reader: JSONReader) throws -> SurfaceBoundary {
    let fields = try reader.object()
    let kind = try fields.required("kind").choice([
      ("applicator", 0), ("held-temperature", 1), ("convective", 2), ("extracted-flux", 3),
    ])
    let surface: SurfaceBoundary
    switch kind {
    case 0: surface = .applicator
    case 1:
      surface = .heldTemperature(celsius: try fields.required("celsius").number(in: -60...100))
    case 2:
      surface = .convective(
        wattsPerSquareMetreKelvin: try fields.required("coefficient").number(in: 0.1...1e6),
        fluidCelsius: try fields.required("fluid").number(in: -60...100))
    default:
      surface = .extractedFlux(
        wattsPerSquareMetre: try fields.required("wattsPerSquareMetre").number(in: -1e5...1e5))
    }
    try fields.finish()
    return surface
  }

  private static func decodeFreezing(_ reader: JSONReader) throws -> FreezingParameters {
    var freezing = FreezingParameters()
    let fields = try reader.object()
    try fields.number("latentHeat", in: 0...1e6) { freezing.latentHeatJoulesPerKilogram = $0 }
    try fields.number("start", in: -20...5) { freezing.startCelsius = $0 }
    try fields.number("end", in: -40...5) { freezing.endCelsius = $0 }
    try fields.number("nucleationBelow", in: -40...5) { freezing.nucleationBelowCelsius = $0 }
    try fields.number("nucleationRate", in: 0...100) { freezing.nucleationRatePerSecond = $0 }
    try fields.finish()
    guard freezing.endCelsius < freezing.startCelsius else {
      throw reader.fail(
        "end (\(format(freezing.endCelsius)) °C) must be below start (\(format(freezing.startCelsius)) °C)"
      )
    }
    return freezing
  }
}
