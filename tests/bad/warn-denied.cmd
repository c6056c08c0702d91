check
--deny-warnings
warn-hedged.ron
