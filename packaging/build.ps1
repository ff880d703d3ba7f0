# Build the Windows bundle with PyInstaller (Linux and macOS: packaging/build.sh):
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1          # -> dist\Annotator\
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1 -Smoke   # ... and smoke-test it
#
# dist\Annotator\annotator.exe is the windowed app; annotator-cli.exe is the same program with a
# console, for the commands (import, export, stats, db) from cmd or PowerShell. Makes its own
# virtual environment (build\bundle-venv). $env:PYTHON names the interpreter (3.11 or newer;
# default: the py launcher's 3.11), $env:BUNDLE_VENV the environment's folder.
param([switch]$Smoke)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$started = Get-Date

function Invoke-Checked {
    # Native commands do not stop a script on failure; this does.
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $($args -join ' ')" }
}

function Invoke-Captured {
    # Windows PowerShell 5 turns a native program's stderr lines into errors, which "Stop" throws.
    $ErrorActionPreference = "Continue"
    $command, $arguments = $args
    $output = & $command @arguments 2>&1 | Out-String
    [pscustomobject]@{ Code = $LASTEXITCODE; Output = $output }
}

$venv = if ($env:BUNDLE_VENV) { $env:BUNDLE_VENV } else { "build\bundle-venv" }
$python = Join-Path $venv "Scripts\python.exe"
New-Item -ItemType Directory -Force build | Out-Null
if (-not (Test-Path $python)) {
    if ($env:PYTHON) { Invoke-Checked $env:PYTHON -m venv $venv }
    else { Invoke-Checked py -3.11 -m venv $venv }
}
Invoke-Checked $python -m pip install --quiet --upgrade pip
# The dependencies exactly as pyproject.toml states them; the spec analyses this checkout.
$requirements = & $python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))"
if ($LASTEXITCODE -ne 0) { throw "could not read pyproject.toml" }
$requirements | Set-Content -Encoding utf8 build\bundle-requirements.txt
Invoke-Checked $python -m pip install --quiet -r build\bundle-requirements.txt "pyinstaller>=6.10,<7"
Invoke-Checked $python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\annotator.spec

$seconds = [int]((Get-Date) - $started).TotalSeconds
$megabytes = [int]((Get-ChildItem -Recurse dist\Annotator | Measure-Object -Sum Length).Sum / 1MB)
Write-Output "built dist\Annotator in $seconds s, $megabytes MB"

if ($Smoke) {
    # The same steps as packaging/smoke_test.sh, with the console executable.
    $exe = (Resolve-Path dist\Annotator\annotator-cli.exe).Path
    $work = Join-Path ([IO.Path]::GetTempPath()) ("annotator-smoke-" + [guid]::NewGuid())
    New-Item -ItemType Directory $work | Out-Null
    $env:QT_QPA_PLATFORM = "offscreen"
    $env:ANNOTATOR_DATA_DIR = Join-Path $work "data"
    $env:ANNOTATOR_CONFIG_DIR = Join-Path $work "config"
    Remove-Item Env:ANNOTATOR_DB -ErrorAction SilentlyContinue
    $project = Join-Path $work "smoke.sqlite"
    try {
        Invoke-Checked $exe --version
        Invoke-Checked $exe --db $project import resources\demo\harbour-post-daily\01-port-strike.txt
        Invoke-Checked $exe --db $project export --format annotator --all --out (Join-Path $work "export.jsonl")
        Invoke-Checked $exe export --check (Join-Path $work "export.jsonl") --format annotator
        Invoke-Checked $exe --db $project export --format spacy --all --out (Join-Path $work "spacy")
        $env:ANNOTATOR_QUIT_AFTER_MS = "60000"
        foreach ($run in @(
                @{ Arguments = @($project); Expect = "window ready: .* smoke .* Annotator" },
                @{ Arguments = @(); Expect = "window ready: " })) {
            $arguments = $run.Arguments
            $result = Invoke-Captured $exe @arguments
            if ($result.Code -ne 0 -or $result.Output -notmatch $run.Expect) { throw "window: $($result.Output)" }
            if ($result.Output -match "Traceback") { throw "a traceback was printed: $($result.Output)" }
        }
        Remove-Item Env:ANNOTATOR_QUIT_AFTER_MS
        $stats = (Invoke-Captured $exe stats --json).Output
        if ($stats -notmatch '"documents": 8') { throw "default project: expected the 8 demo articles" }
        Write-Output "smoke test passed"
    }
    finally {
        Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    }
}
