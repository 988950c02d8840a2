"""The work of the phases: the forventningsafstemning, the development plans and the library
of methods and tools."""
