"""Past one machine on an existing distributed engine: a Dask LocalCluster of worker processes
evaluates the partitions of a generated corpus with the Python module, and the partial summaries,
merged as `rulebook batch --merge` merges them, equal one local `rulebook batch --summary`."""
import functools
import json
import os
import subprocess
from decimal import Decimal

import pytest

import rulebook

SRC = os.environ["RULEBOOK_SOURCE_DIR"]
PACK = os.path.join(SRC, "bench", "pack")
AS_OF = "2025-12-31"
RECORDS = 20000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    gen = os.environ.get("RULEBOOK_GEN_CORPUS")
    if not gen:
        pytest.skip("RULEBOOK_GEN_CORPUS not set")
    path = tmp_path_factory.mktemp("dask") / "corpus.jsonl"
    subprocess.run([gen, str(RECORDS), str(path)], check=True, capture_output=True)
    return path


def test_dask_partitions_merge_to_one_local_run(corpus):
    distributed = pytest.importorskip("distributed")
    import dask.bag as db

    with distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        bag = db.read_text(str(corpus), blocksize="1MiB")  # partitions of whole lines
        assert bag.npartitions >= 6
        parts = bag.map_partitions(functools.partial(rulebook.summarize, PACK, as_of=AS_OF)).compute()
        workers = client.run(os.getpid)
    assert len(parts) == bag.npartitions
    assert len(set(workers.values())) == 3  # three processes did the work
    merged = json.loads(rulebook.merge(parts), parse_float=Decimal)

    cli = os.environ["RULEBOOK_CLI"]
    local = subprocess.run([cli, "batch", "--pack", PACK, "--as-of", AS_OF, "--summary", "--format", "json",
                            "--exit-zero", str(corpus)], capture_output=True, check=True).stdout
    local = json.loads(local, parse_float=Decimal)
    assert merged["records"] == RECORDS
    assert merged == local
    # and the merge the command line does, over the same parts
    files = []
    for i, part in enumerate(parts):
        f = corpus.parent / f"part-{i}.json"
        f.write_text(part, encoding="utf-8")
        files.append(str(f))
    cli_merged = subprocess.run([cli, "batch", "--merge", *files, "--format", "json"], capture_output=True,
                                check=True).stdout
    assert json.loads(cli_merged, parse_float=Decimal) == local
