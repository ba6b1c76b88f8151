#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// An IPv4 address and port parsed from `tcp://HOST:PORT`.
  ///
  /// HOST is a dotted quad (`192.168.1.20`, each part 0...255 in decimal
  /// without leading zeros, since `010` would be octal to `inet_aton`) or
  /// `localhost` (127.0.0.1). Host names are not resolved and IPv6 is not
  /// supported: a rig's serial server has a fixed address, and a lookup that
  /// can hang has no place in a loop with deadlines. Nothing may follow the
  /// port.
  struct TCPEndpoint: Equatable {
    /// The IPv4 address, host byte order.
    var address: UInt32
    /// The port, 0...65535 (0 only where allowed).
    var port: Int

    private static let scheme = "tcp://"

    /// Parses `url`, or throws ``FaultKind/invalidValue`` with a message that quotes it.
    ///
    /// - Parameter allowsPortZero: a listener may ask for port 0 (any free port).
    init(parsing url: String, allowsPortZero: Bool) throws(SerialOpenError) {
      func refuse(_ reason: String) -> SerialOpenError {
        SerialOpenError(
          kind: .invalidValue,
          message: "'\(url)': \(reason); expected tcp://HOST:PORT with HOST an IPv4 address "
            + "(a.b.c.d) or localhost")
      }
      guard url.hasPrefix(Self.scheme) else { throw refuse("not a tcp:// URL") }
      let rest = Substring(url.utf8.dropFirst(Self.scheme.utf8.count))
      if rest.first == "[" || rest.utf8.count(where: { $0 == UInt8(ascii: ":") }) > 1 {
        throw refuse("IPv6 addresses are not supported")
      }
      guard let colon = rest.lastIndex(of: ":") else { throw refuse("missing :PORT") }
      let host = rest[..<colon]
      let portText = rest[rest.index(after: colon)...]
      guard !host.isEmpty else { throw refuse("missing host") }
      if host.lowercased() == "localhost" {
        address = 0x7F00_0001
      } else if let parsed = Self.dottedQuad(host) {
        address = parsed
      } else {
        throw refuse("host '\(host)' is not an IPv4 address (host names are not resolved)")
      }
      guard let parsedPort = Self.decimal(portText, maximum: 65_535) else {
        throw refuse(portText.isEmpty ? "missing port" : "port '\(portText)' is not 0...65535")
      }
      if parsedPort == 0 && !allowsPortZero { throw refuse("port 0 cannot be connected to") }
      port = parsedPort
    }

    /// `a.b.c.d` in host byte order, or nil.
    private static func dottedQuad(_ text: Substring) -> UInt32? {
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count == 4 else { return nil }
      var address: UInt32 = 0
      for part in parts {
        guard let value = decimal(part, maximum: 255) else { return nil }
        address = address << 8 | UInt32(value)
      }
      return address
    }

    /// A decimal number of ASCII digits without a sign or leading zeros, at most `maximum`.
    private static func decimal(_ text: Substring, maximum: Int) -> Int? {
      let digits = text.utf8
      guard !digits.isEmpty, digits.count <= 5,
        digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
        digits.count == 1 || digits.first != UInt8(ascii: "0")
      else { return nil }
      let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
      return value <= maximum ? value : nil
    }

    /// The socket address.
    var socketAddress: sockaddr_in {
      var socketAddress = sockaddr_in()
      socketAddress.sin_family = sa_family_t(AF_INET)
      socketAddress.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
      socketAddress.sin_addr = in_addr(s_addr: address.bigEndian)
      return socketAddress
    }

    /// `a.b.c.d:port`, for messages.
    var description: String {
      let bytes = [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xFF) }
      return bytes.joined(separator: ".") + ":\(port)"
    }
  }
#endif
