print("vr")
