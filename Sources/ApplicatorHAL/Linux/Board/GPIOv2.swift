#if canImport(Glibc)
  import ApplicatorHAL
  /// The GPIO character-device v2 uAPI (`include/uapi/linux/gpio.h`),
  /// declared by hand as byte layouts: the structs are filled and read
  /// through these offsets, and the tests check them against the header's
  /// declarations and the ioctl numbers, which encode each struct's size.
  public enum GPIOv2 {
    /// `GPIO_V2_LINES_MAX`.
    public static let linesMax = 64
    /// `GPIO_MAX_NAME_SIZE`.
    public static let nameSize = 32
    /// `GPIO_V2_LINE_NUM_ATTRS_MAX`.
    public static let attributesMax = 10

    /// `struct gpiochip_info`: `name[32]`, `label[32]`, `__u32 lines`.
    public enum ChipInfo {
      /// Its size, bytes.
      public static let size = 68
      /// `name`.
      public static let nameOffset = 0
      /// `label`.
      public static let labelOffset = 32
      /// `lines`.
      public static let linesOffset = 64
    }

    /// `struct gpio_v2_line_attribute`: `__u32 id`, `__u32 padding`, a
    /// 64-bit union (`flags`, `values`, `debounce_period_us`).
    public enum LineAttribute {
      /// Its size, bytes.
      public static let size = 16
      /// `id`.
      public static let idOffset = 0
      /// The union (`flags` / `values`).
      public static let valueOffset = 8
    }

    /// `struct gpio_v2_line_config_attribute`: an attribute and a 64-bit `mask`.
    public enum ConfigAttribute {
      /// Its size, bytes.
      public static let size = 24
      /// `attr`.
      public static let attributeOffset = 0
      /// `mask`.
      public static let maskOffset = 16
    }

    /// `struct gpio_v2_line_config`: `__aligned_u64 flags`, `__u32
    /// num_attrs`, `__u32 padding[5]`, `attrs[10]`.
    public enum LineConfig {
      /// Its size, bytes.
      public static let size = 272
      /// `flags`.
      public static let flagsOffset = 0
      /// `num_attrs`.
      public static let attributeCountOffset = 8
      /// `attrs`.
      public static let attributesOffset = 32
    }

    /// `struct gpio_v2_line_request`: `__u32 offsets[64]`, `char
    /// consumer[32]`, the config, `__u32 num_lines`, `__u32
    /// event_buffer_size`, `__u32 padding[5]`, `__s32 fd`.
    public enum LineRequest {
      /// Its size, bytes (592).
      public static let size = 592
      /// `offsets`.
      public static let offsetsOffset = 0
      /// `consumer`.
      public static let consumerOffset = 256
      /// `config`.
      public static let configOffset = 288
      /// `num_lines`.
      public static let lineCountOffset = 560
      /// `event_buffer_size`.
      public static let eventBufferSizeOffset = 564
      /// `fd`, filled in by the kernel.
      public static let descriptorOffset = 588
    }

    /// `struct gpio_v2_line_values`: `__aligned_u64 bits`, `__aligned_u64 mask`.
    public enum LineValues {
      /// Its size, bytes.
      public static let size = 16
      /// `bits`.
      public static let bitsOffset = 0
      /// `mask`.
      public static let maskOffset = 8
    }

    /// `GPIO_V2_LINE_FLAG_ACTIVE_LOW`.
    public static let flagActiveLow: UInt64 = 1 << 1
    /// `GPIO_V2_LINE_FLAG_INPUT`.
    public static let flagInput: UInt64 = 1 << 2
    /// `GPIO_V2_LINE_FLAG_OUTPUT`.
    public static let flagOutput: UInt64 = 1 << 3
    /// `GPIO_V2_LINE_FLAG_BIAS_PULL_UP`.
    public static let flagBiasPullUp: UInt64 = 1 << 8
    /// `GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN`.
    public static let flagBiasPullDown: UInt64 = 1 << 9
    /// `GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES`.
    public static let attributeOutputValues: UInt32 = 2

    /// `_IOC(direction, type, number, size)` as `asm-generic/ioctl.h` encodes it.
    public static func ioctlNumber(read: Bool, write: Bool, type: UInt8, number: UInt8, size: Int)
      -> UInt
    {
      let direction: UInt = (write ? 1 : 0) | (read ? 2 : 0)
      return direction << 30 | UInt(size) << 16 | UInt(type) << 8 | UInt(number)
    }

    /// `GPIO_GET_CHIPINFO_IOCTL` = `_IOR(0xB4, 0x01, struct gpiochip_info)`.
    public static let getChipInfo = ioctlNumber(
      read: true, write: false, type: 0xB4, number: 0x01, size: ChipInfo.size)
    /// `GPIO_V2_GET_LINE_IOCTL` = `_IOWR(0xB4, 0x07, struct gpio_v2_line_request)`.
    public static let getLine = ioctlNumber(
      read: true, write: true, type: 0xB4, number: 0x07, size: LineRequest.size)
    /// `GPIO_V2_LINE_GET_VALUES_IOCTL` = `_IOWR(0xB4, 0x0E, struct gpio_v2_line_values)`.
    public static let getValues = ioctlNumber(
      read: true, write: true, type: 0xB4, number: 0x0E, size: LineValues.size)
    /// `GPIO_V2_LINE_SET_VALUES_IOCTL` = `_IOWR(0xB4, 0x0F, struct gpio_v2_line_values)`.
    public static let setValues = ioctlNumber(
      read: true, write: true, type: 0xB4, number: 0x0F, size: LineValues.size)
  }
#endif
