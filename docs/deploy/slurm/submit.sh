#!/usr/bin/env bash
# Queues the shard array and the merge that waits for all of it:
#   cd /shared/project && bash /path/to/docs/deploy/slurm/submit.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p partials
shards=$(sbatch --parsable "$here/shards.sbatch")
sbatch --dependency="afterok:${shards%%;*}" "$here/merge.sbatch"
