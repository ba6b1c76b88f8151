/// Keeps a ``RunSeries`` bounded while its ticks stream in, so a plot of a
/// long run costs a bounded amount of memory however long the run is.
///
/// Until the series holds ``startRows`` ticks nothing is dropped (a plot of
/// a treatment-length run is drawn from every tick). Past that, time is cut
/// into columns of equal width, about ``minimumColumns`` … 2 × that many
/// over the run so far (more than the plot's 920 pixel columns), and each
/// column keeps only the ticks a drawing needs: its first and last tick,
/// and for every series (each sensor, the setpoint, the three commands, the
/// dose) the tick with its lowest and its highest value and its first failed
/// read (so a gap stays a gap). A tick where the phase changes is always
/// kept. This is the per-column reduction ``ColumnDownsampler`` does after
/// the fact, done on whole ticks as they arrive: every series keeps its
/// extremes, so a one-tick spike stays visible. When the run outgrows the
/// columns, their width doubles and the kept ticks are thinned again.
///
/// Memory: at most `2 × minimumColumns × (3 × series + 2)` ticks plus the
/// phase changes, and a partial column of at most ``openColumnRows``
/// (for five sensors at most 131,072 ticks of 96 bytes, 12.6 MB, however
/// long the run; less in practice, where one tick holds several extremes).
/// Work: amortised constant per tick.
package struct StreamingThinner {
  /// Ticks kept whole before thinning starts.
  package let startRows: Int
  /// The fewest columns the run so far is cut into once thinning has started.
  package let minimumColumns: Int
  /// The most ticks the column being filled holds before it is reduced.
  package let openColumnRows = 256
  /// The width of a column, s (0: not thinning yet).
  package private(set) var columnSeconds = 0.0
  /// The time columns are counted from, s.
  private var origin = 0.0
  /// The first row of the column being filled, and its number.
  private var openStart = 0
  private var openColumn = 0

  /// A thinner that starts after `startRows` ticks and keeps at least
  /// `minimumColumns` columns.
  package init(startRows: Int = 65_536, minimumColumns: Int = 2_048) {
    self.startRows = max(2, startRows)
    self.minimumColumns = max(1, minimumColumns)
  }

  /// Called after each tick appended to `series`: thins when due.
  package mutating func didAppend(_ series: inout RunSeries) {
    let last = series.count - 1
    guard last >= 0 else { return }
    guard columnSeconds > 0 else {
      guard series.count > startRows else { return }
      origin = series.seconds[0]
      let span = series.seconds[last] - origin
      guard span > 0 else { return }
      columnSeconds = span / Double(minimumColumns)
      thinAll(&series)
      return
    }
    let column = self.column(series.seconds[last])
    if column != openColumn {
      let next = series.reduce(rows: openStart..<last, writingAt: openStart)
      series.truncate(to: series.moveRow(last, to: next))
      openStart = next
      openColumn = column
      if column >= 2 * minimumColumns {
        columnSeconds *= 2
        thinAll(&series)
      }
    } else if last - openStart >= max(openColumnRows, 4 * (series.sensors.count + 5) + 8) {
      _ = series.reduce(rows: openStart..<series.count, writingAt: openStart)
    }
  }

  private func column(_ seconds: Double) -> Int {
    let position = (seconds - origin) / columnSeconds
    return position.isFinite ? Int(min(max(position, 0), 1e15)) : 0
  }

  /// Thins every column again at the current width.
  private mutating func thinAll(_ series: inout RunSeries) {
    var write = 0
    var start = 0
    while start < series.count {
      let column = self.column(series.seconds[start])
      var end = start + 1
      while end < series.count && self.column(series.seconds[end]) == column { end += 1 }
      openStart = write
      openColumn = column
      write = series.reduce(rows: start..<end, writingAt: write)
      start = end
    }
    series.truncate(to: write)
  }
}

extension RunSeries {
  /// Every series drawn from the ticks, as columns of values.
  private var valueColumns: [[Double]] {
    sensors.map(\.celsius) + [targetCelsius, controllerCommand, sentCommand, readBack, doseMinutes]
  }

  /// Keeps, of the ticks in `rows`, those a drawing needs (see
  /// ``StreamingThinner``), moved down to start at `write` (≤ the range's
  /// start) in time order, and drops the rest; returns the row after the
  /// last kept one.
  fileprivate mutating func reduce(rows: Range<Int>, writingAt write: Int) -> Int {
    guard !rows.isEmpty else { return write }
    var kept = [rows.lowerBound, rows.upperBound - 1]
    var previousPhase = write > 0 ? phaseIndex[write - 1] : phaseIndex[rows.lowerBound]
    for row in rows {
      if phaseIndex[row] != previousPhase { kept.append(row) }
      previousPhase = phaseIndex[row]
    }
    func extremes(_ values: [Double]) {
      var lowest = -1
      var highest = -1
      var failed = -1
      for row in rows {
        let value = values[row]
        if value.isFinite {
          if lowest < 0 || value < values[lowest] { lowest = row }
          if highest < 0 || value > values[highest] { highest = row }
        } else if failed < 0 {
          failed = row
        }
      }
      for row in [lowest, highest, failed] where row >= 0 { kept.append(row) }
    }
    for index in sensors.indices { extremes(sensors[index].celsius) }
    extremes(targetCelsius)
    extremes(controllerCommand)
    extremes(sentCommand)
    extremes(readBack)
    extremes(doseMinutes)
    kept.sort()
    var next = write
    var previous = -1
    for row in kept where row != previous {
      next = moveRow(row, to: next)
      previous = row
    }
    if rows.upperBound == count { truncate(to: next) }
    return next
  }

  /// Copies tick `row` to `target` (≤ `row`); returns the row after it.
  fileprivate mutating func moveRow(_ row: Int, to target: Int) -> Int {
    if row != target {
      seconds[target] = seconds[row]
      phaseIndex[target] = phaseIndex[row]
      targetCelsius[target] = targetCelsius[row]
      for index in sensors.indices { sensors[index].celsius[target] = sensors[index].celsius[row] }
      controllerCommand[target] = controllerCommand[row]
      sentCommand[target] = sentCommand[row]
      readBack[target] = readBack[row]
      doseMinutes[target] = doseMinutes[row]
    }
    return target + 1
  }

  /// Drops every tick from `newCount` on.
  fileprivate mutating func truncate(to newCount: Int) {
    guard newCount < count else { return }
    let drop = count - newCount
    seconds.removeLast(drop)
    phaseIndex.removeLast(drop)
    targetCelsius.removeLast(drop)
    for index in sensors.indices { sensors[index].celsius.removeLast(drop) }
    controllerCommand.removeLast(drop)
    sentCommand.removeLast(drop)
    readBack.removeLast(drop)
    doseMinutes.removeLast(drop)
  }
}
