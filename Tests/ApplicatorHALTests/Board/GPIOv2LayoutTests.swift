import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// The hand-declared v2 uAPI layout against include/uapi/linux/gpio.h.
@Suite struct GPIOv2LayoutTests {
  /// Lays out C members in order with natural alignment, as the C compiler
  /// does: (size, alignment) per member → offsets and the padded size.
  private func layout(_ members: [(size: Int, alignment: Int)]) -> (offsets: [Int], size: Int) {
    var offset = 0
    var offsets: [Int] = []
    var largest = 1
    for member in members {
      offset = (offset + member.alignment - 1) / member.alignment * member.alignment
      offsets.append(offset)
      offset += member.size
      largest = max(largest, member.alignment)
    }
    return (offsets, (offset + largest - 1) / largest * largest)
  }

  @Test func structOffsetsFollowTheHeader() {
    // struct gpio_v2_line_attribute { __u32 id; __u32 padding; union { __aligned_u64 ... }; }
    let attribute = layout([(4, 4), (4, 4), (8, 8)])
    #expect(attribute.size == GPIOv2.LineAttribute.size)
    #expect(attribute.offsets[0] == GPIOv2.LineAttribute.idOffset)
    #expect(attribute.offsets[2] == GPIOv2.LineAttribute.valueOffset)
    // struct gpio_v2_line_config_attribute { struct gpio_v2_line_attribute attr; __aligned_u64 mask; }
    let configAttribute = layout([(attribute.size, 8), (8, 8)])
    #expect(configAttribute.size == GPIOv2.ConfigAttribute.size)
    #expect(configAttribute.offsets[1] == GPIOv2.ConfigAttribute.maskOffset)
    // struct gpio_v2_line_config { __aligned_u64 flags; __u32 num_attrs; __u32 padding[5]; attrs[10]; }
    let config = layout([(8, 8), (4, 4), (20, 4), (configAttribute.size * 10, 8)])
    #expect(config.size == GPIOv2.LineConfig.size)
    #expect(config.offsets[1] == GPIOv2.LineConfig.attributeCountOffset)
    #expect(config.offsets[3] == GPIOv2.LineConfig.attributesOffset)
    // struct gpio_v2_line_request { __u32 offsets[64]; char consumer[32]; config;
    //   __u32 num_lines; __u32 event_buffer_size; __u32 padding[5]; __s32 fd; }
    let request = layout([
      (4 * 64, 4), (32, 1), (config.size, 8), (4, 4), (4, 4), (20, 4), (4, 4),
    ])
    #expect(request.size == GPIOv2.LineRequest.size)
    #expect(request.offsets[1] == GPIOv2.LineRequest.consumerOffset)
    #expect(request.offsets[2] == GPIOv2.LineRequest.configOffset)
    #expect(request.offsets[3] == GPIOv2.LineRequest.lineCountOffset)
    #expect(request.offsets[4] == GPIOv2.LineRequest.eventBufferSizeOffset)
    #expect(request.offsets[6] == GPIOv2.LineRequest.descriptorOffset)
    // struct gpio_v2_line_values { __aligned_u64 bits; __aligned_u64 mask; }
    let values = layout([(8, 8), (8, 8)])
    #expect(values.size == GPIOv2.LineValues.size)
    #expect(values.offsets[1] == GPIOv2.LineValues.maskOffset)
    // struct gpiochip_info { char name[32]; char label[32]; __u32 lines; }
    let info = layout([(32, 1), (32, 1), (4, 4)])
    #expect(info.size == GPIOv2.ChipInfo.size)
    #expect(info.offsets[2] == GPIOv2.ChipInfo.linesOffset)
  }

  /// The ioctl numbers encode the struct sizes; these are the values the
  /// header's macros expand to (io.md, and WDIOC_SETTIMEOUT from watchdog.h).
  @Test func ioctlNumbersMatchTheKernel() {
    #expect(GPIOv2.getLine == 0xC250_B407)
    #expect(GPIOv2.getValues == 0xC010_B40E)
    #expect(GPIOv2.setValues == 0xC010_B40F)
    #expect(GPIOv2.getChipInfo == 0x8044_B401)
    #expect(BoardWatchdog.setTimeoutRequest == 0xC004_5706)
  }
}
