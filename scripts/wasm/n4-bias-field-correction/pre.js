// Prepended to the Emscripten module (--pre-js): the stdout/stderr capture that itk-wasm's
// runtime (runPipelineEmscripten) expects on the module object.
var n4Stdout = ''
var n4Stderr = ''
Module['resetModuleStdout'] = function () { n4Stdout = '' }
Module['resetModuleStderr'] = function () { n4Stderr = '' }
Module['getModuleStdout'] = function () { return n4Stdout }
Module['getModuleStderr'] = function () { return n4Stderr }
Module['print'] = function (text) { n4Stdout += text + '\n' }
Module['printErr'] = function (text) { n4Stderr += text + '\n' }
