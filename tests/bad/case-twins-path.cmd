-g
case-twins.ron
query
path Foo to foo
