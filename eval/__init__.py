"""The evaluation suite: gold questions, the runner and its metrics, baselines, reports, benchmarks.

`plan-assistant eval` (eval/cli.py) and `plan-assistant bench`; see eval/README.md.
"""
