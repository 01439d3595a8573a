target_sources(slopscope_models PRIVATE
    core/Result.h
    core/Json.h
    core/Json.cpp
    core/Workspace.h
    core/Workspace.cpp)
