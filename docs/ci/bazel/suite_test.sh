#!/bin/sh
# The sh_test of BUILD.bazel: Bazel runs it once per shard, from the
# runfiles tree, with its test variables set. The first argument is the
# devsim executable, the rest are devsim suite's paths.
set -eu
devsim="$1"
shift
exec "$devsim" suite "$@"
