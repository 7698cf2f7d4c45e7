# lib.sh -- helpers shared by the benchmark scripts (sourced, not run).

log() { echo "[$(date +%T)] $*" >&2; }

# index_bytes DIR: apparent size of an index. For a corpsearch index folder,
# only the shards its stub names count: older generations left beside the
# live one (until the next job removes them) are not part of the index.
index_bytes() {
    local d=$1 kind path total=0
    if [[ -f $d/XAPIANDB ]]; then
        while read -r kind path; do
            [[ -n $path ]] || continue
            [[ $path = /* ]] || path=$d/$path
            total=$((total + $(du -sb --apparent-size "$path" | cut -f1)))
        done <"$d/XAPIANDB"
        echo "$total"
    else
        du -sb --apparent-size "$d" | cut -f1
    fi
}
