#!/usr/bin/env bash
# Builds a kernel-shaped tree for boards/ci-bench.json under DIR, the way
# Tests/DevsimTests/BoardEndToEndTests.swift does: plain files laid out as
# the kernel ABI, for `devsim ... --sysfs-root DIR`.
#
#   bash scripts/fake-board-tree.sh DIR
#
# - plate:    iio:device0 "max31865", in_temp_raw 800 × in_temp_scale 31.25 m°C = 25.000 °C
# - plate-b:  hwmon0 "ntc_thermistor", temp1_input 25150 m°C (board offset −0.15: 25.000 °C)
# - skin:     iio:device1 "tmp117", in_temp_raw 4096 × 7.8125 m°C = 32.000 °C
# - fat-7mm:  iio:device2 "max31856", in_temp_raw 4480 × 7.8125 m°C = 35.000 °C
# - heatsink: hwmon1 "tmp75", temp1_input 28000 m°C
# - pwmchip0 with 2 channels, both exported (period, duty_cycle, enable 0)
# - dev/watchdog: a link to /dev/null (a character device that takes every
#   keepalive; it cannot set a timeout, hence ci-bench.json gives none)
#
# A plain tree cannot hold a GPIO chip (GPIO_GET_CHIPINFO_IOCTL on a file
# fails), so ci-bench.json has no lines: "enable": "none" and both
# interlocks declared absent. Every duty_cycle starts at 0; the docs runner
# checks they are 0 again after each board command.
set -euo pipefail
root=${1:?usage: fake-board-tree.sh DIR}

put() { # put PATH TEXT
  mkdir -p "$root$(dirname "$1")"
  printf '%s\n' "$2" > "$root$1"
}

iio=/sys/bus/iio/devices
put "$iio/iio:device0/name" max31865
put "$iio/iio:device0/in_temp_raw" 800
put "$iio/iio:device0/in_temp_scale" 31.250000
put "$iio/iio:device1/name" tmp117
put "$iio/iio:device1/in_temp_raw" 4096
put "$iio/iio:device1/in_temp_scale" 7.812500
put "$iio/iio:device2/name" max31856
put "$iio/iio:device2/in_temp_raw" 4480
put "$iio/iio:device2/in_temp_scale" 7.812500
put /sys/class/hwmon/hwmon0/name ntc_thermistor
put /sys/class/hwmon/hwmon0/temp1_input 25150
put /sys/class/hwmon/hwmon1/name tmp75
put /sys/class/hwmon/hwmon1/temp1_input 28000
put /sys/class/pwm/pwmchip0/npwm 2
for channel in 0 1; do
  put "/sys/class/pwm/pwmchip0/pwm$channel/period" 0
  put "/sys/class/pwm/pwmchip0/pwm$channel/duty_cycle" 0
  put "/sys/class/pwm/pwmchip0/pwm$channel/enable" 0
  put "/sys/class/pwm/pwmchip0/pwm$channel/polarity" normal
done
mkdir -p "$root/dev"
ln -sfn /dev/null "$root/dev/watchdog"
