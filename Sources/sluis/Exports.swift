// The bundle commands and the helpers every command shares live in SluisBundleCLI, so that the
// small `sluis-bundle` executable can link them without the server (docs/performance.md).
@_exported import SluisBundleCLI
