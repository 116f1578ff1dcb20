#!/usr/bin/env python3
"""The Dask recipe's function on Spark: every file of a folder to one JSON Lines record.

    spark-submit examples/recipes/spark_jsonl.py 'hdfs:///dumps/*.txt' hdfs:///articles

Needs pyspark and artconv on every executor (pip install artconv). Not run by the tests; the
Dask recipe, which shares convert_one, is.
"""

from __future__ import annotations

import sys

from dask_jsonl import convert_one  # the same pure function


def main() -> int:
    from pyspark.sql import SparkSession

    source, target = sys.argv[1], sys.argv[2]
    spark = SparkSession.builder.appName("artconv").getOrCreate()
    files = spark.sparkContext.binaryFiles(source)
    files.map(lambda kv: convert_one(kv[0], kv[1])).saveAsTextFile(target)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
