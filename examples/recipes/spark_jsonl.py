#!/usr/bin/env python3
"""Convert files with Spark into artconv JSON Lines: the articles under TARGET/articles, the
errors (``{"path", "error"}`` lines) under TARGET/errors.

    spark-submit examples/recipes/spark_jsonl.py 'hdfs:///scraped/*.html' hdfs:///out
    spark-submit --master 'local[2]' examples/recipes/spark_jsonl.py 'in/*' out   # one host

Every executor needs artconv installed from the repository or a built wheel (``pip install
dist/artconv-*.whl``); the function they run, ``artconv.jobs.convert_file``, is part of the
library, so nothing else has to be shipped (no ``--py-files``).
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    from pyspark.sql import SparkSession

    from artconv.jobs import convert_file

    source, target = sys.argv[1], sys.argv[2]
    spark = SparkSession.builder.appName("artconv").getOrCreate()
    results = spark.sparkContext.binaryFiles(source).map(
        lambda kv: convert_file(kv[0], bytes(kv[1]))).cache()
    results.filter(lambda r: r.error is None).map(lambda r: r.lines.rstrip("\n")) \
        .saveAsTextFile(f"{target}/articles")
    results.filter(lambda r: r.error is not None).map(
        lambda r: json.dumps({"path": r.path, "error": r.error}, ensure_ascii=False)) \
        .saveAsTextFile(f"{target}/errors")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
