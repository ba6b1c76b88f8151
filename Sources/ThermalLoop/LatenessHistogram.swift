/// Wake-up lateness of a periodic loop: minimum, mean, maximum and a
/// fixed-bucket histogram from which percentiles are read. Fixed size, no
/// allocation: it is updated inside the loop.
///
/// Buckets are log-linear (as in HdrHistogram): below 1,024 ns one bucket
/// per 64 ns; from there, each power of two up to 2^31 ns (about 2.1 s) is
/// split into 16 equal buckets; anything longer lands in the overflow
/// bucket. A percentile is reported as the upper edge of the bucket that
/// holds it (never above the largest value seen), so it reads never low,
/// and high by at most 6.25 % from 1,024 ns up (by at most 64 ns below).
public struct LatenessHistogram: Sendable {
  /// Sub-buckets per power of two.
  public static let subBuckets = 16
  /// Linear buckets below the first power of two (64 ns wide each).
  static let linearBuckets = 16
  /// The first power of two with sub-buckets: 2^10 ns.
  static let firstOctave = 10
  /// The last power of two with sub-buckets: 2^30 … 2^31 ns.
  static let lastOctave = 30
  /// Number of buckets, the overflow bucket included.
  public static let bucketCount =
    linearBuckets + (lastOctave - firstOctave + 1) * subBuckets + 1

  /// Counts per bucket.
  public private(set) var counts: InlineArray<353, UInt32> = InlineArray(repeating: 0)
  /// How many values were recorded.
  public private(set) var count: UInt64 = 0
  /// The smallest value recorded, ns (`UInt64.max` before the first).
  public private(set) var minimumNanoseconds: UInt64 = .max
  /// The largest value recorded, ns.
  public private(set) var maximumNanoseconds: UInt64 = 0
  /// The sum of the values recorded, ns.
  public private(set) var totalNanoseconds: UInt64 = 0

  /// An empty histogram.
  public init() {}

  /// The mean, ns (0 before the first value).
  public var meanNanoseconds: Double {
    count == 0 ? 0 : Double(totalNanoseconds) / Double(count)
  }

  /// Records one value.
  public mutating func record(_ nanoseconds: UInt64) {
    let bucket = Self.bucket(of: nanoseconds)
    if counts[bucket] < UInt32.max { counts[bucket] += 1 }
    count += 1
    minimumNanoseconds = min(minimumNanoseconds, nanoseconds)
    maximumNanoseconds = max(maximumNanoseconds, nanoseconds)
    totalNanoseconds &+= nanoseconds
  }

  /// The bucket a value falls in.
  public static func bucket(of nanoseconds: UInt64) -> Int {
    if nanoseconds < 1 << firstOctave { return Int(nanoseconds >> 6) }
    let octave = 63 - nanoseconds.leadingZeroBitCount
    if octave > lastOctave { return bucketCount - 1 }
    let sub = Int((nanoseconds >> (octave - 4)) & 15)
    return linearBuckets + (octave - firstOctave) * subBuckets + sub
  }

  /// The smallest value of a bucket, ns.
  public static func lowerEdgeNanoseconds(ofBucket bucket: Int) -> UInt64 {
    if bucket < linearBuckets { return UInt64(bucket) << 6 }
    let octave = firstOctave + (bucket - linearBuckets) / subBuckets
    if octave > lastOctave { return 1 << (lastOctave + 1) }
    let sub = UInt64((bucket - linearBuckets) % subBuckets)
    return (1 << octave) + sub << (octave - 4)
  }

  /// The first value above a bucket, ns (`UInt64.max` for the overflow bucket).
  public static func upperEdgeNanoseconds(ofBucket bucket: Int) -> UInt64 {
    bucket >= bucketCount - 1 ? .max : lowerEdgeNanoseconds(ofBucket: bucket + 1)
  }

  /// The value below which `fraction` of the recorded values lie, read as
  /// the upper edge of the bucket holding that rank and capped at the
  /// largest value seen (0 before the first value).
  public func percentileNanoseconds(_ fraction: Double) -> UInt64 {
    guard count > 0 else { return 0 }
    let clamped = min(max(fraction, 0), 1)
    let scaled = clamped * Double(count)
    var rank = UInt64(scaled)
    if Double(rank) < scaled { rank += 1 }
    rank = min(max(rank, 1), count)
    var seen: UInt64 = 0
    for bucket in 0..<Self.bucketCount {
      seen += UInt64(counts[bucket])
      if seen >= rank {
        let edge = Self.upperEdgeNanoseconds(ofBucket: bucket)
        return min(edge == .max ? edge : edge - 1, maximumNanoseconds)
      }
    }
    return maximumNanoseconds
  }
}
