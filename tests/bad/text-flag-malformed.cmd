check
five-mistakes.ron
--text
national
