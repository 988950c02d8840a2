"""The documents the team issues: decision letter, samarbejdsaftale, analysis report and
final report, each stored as the exact PDF the tilbud received."""
