check
../../graphs/al-sukhna.ron
entity-id-declared-in-another-file.ron
