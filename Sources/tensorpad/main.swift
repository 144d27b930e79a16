print("tensorpad")
