"""Demo and benchmark code, kept out of the application proper.

- `seed`: the small demo data set behind `make run` (`flask seed-demo`).
- `large` and `large_engagements`: the synthetic full-scale data set
  (`flask seed-demo --size large`).
- `bench`: `flask bench`, response times and statements per request.
- `cli`: the two commands; `indsatsteam.cli` registers them.
"""
