check
quote-not-verbatim.ron
--text
national=quote-article.txt
