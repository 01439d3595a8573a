# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS): signs the staged app bundle before the DMG
# is made, when SLOPSCOPE_CODESIGN_IDENTITY names a Developer ID in the keychain. Without it the
# DMG is unsigned (pull requests, forks, local builds).
if(NOT DEFINED ENV{SLOPSCOPE_CODESIGN_IDENTITY} OR "$ENV{SLOPSCOPE_CODESIGN_IDENTITY}" STREQUAL "")
    message(STATUS "codesign: SLOPSCOPE_CODESIGN_IDENTITY is not set; the bundle stays unsigned")
    return()
endif()
file(GLOB_RECURSE bundles LIST_DIRECTORIES true "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*.app")
list(FILTER bundles INCLUDE REGEX "\\.app$")
if(NOT bundles)
    message(FATAL_ERROR "codesign: no .app bundle under ${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
endif()
foreach(bundle IN LISTS bundles)
    # --options runtime (the hardened runtime) and a secure timestamp are what notarisation needs.
    execute_process(
        COMMAND codesign --force --deep --options runtime --timestamp
            --sign "$ENV{SLOPSCOPE_CODESIGN_IDENTITY}" "${bundle}"
        RESULT_VARIABLE result)
    if(result)
        message(FATAL_ERROR "codesign ${bundle} failed: ${result}")
    endif()
    execute_process(COMMAND codesign --verify --deep --strict "${bundle}" RESULT_VARIABLE result)
    if(result)
        message(FATAL_ERROR "codesign --verify ${bundle} failed: ${result}")
    endif()
endforeach()
