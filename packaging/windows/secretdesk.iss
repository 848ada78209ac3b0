; Inno Setup 6 script for SecretDesk's Windows one-folder build (x64).
; Build ON WINDOWS, from the repository folder:
;   py -3.12 -m venv build-venv
;   build-venv\Scripts\pip install --require-hashes -r packaging\requirements\build-windows-x64-py3.12.txt
;   build-venv\Scripts\pyinstaller --noconfirm --distpath packaging\build\out packaging\secretdesk.spec
;   iscc packaging\windows\secretdesk.iss
; Here (Linux) it is only checked: python packaging/check_inno.py packaging/windows/secretdesk.iss
#define AppVersion "0.1.0"
#define BuildDir "..\build\out\secretdesk"

[Setup]
AppId={{6E0C5B7A-2D1F-4C8E-9A3B-5F7D2E1C4A90}
AppName=SecretDesk
AppVersion={#AppVersion}
AppPublisher=SecretDesk team
DefaultDirName={autopf}\SecretDesk
DefaultGroupName=SecretDesk
DisableProgramGroupPage=yes
OutputDir=..\build\windows
OutputBaseFilename=secretdesk-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
WizardStyle=modern
UninstallDisplayIcon={app}\secretdesk.exe

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BuildDir}\secretdesk.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BuildDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\SecretDesk"; Filename: "{app}\secretdesk.exe"; WorkingDir: "{app}"
Name: "{group}\SecretDesk self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\secretdesk.exe"" self-test --fresh"; WorkingDir: "{app}"

[Run]
Filename: "{cmd}"; Parameters: "/k ""{app}\secretdesk.exe"" self-test --fresh"; Description: "Check the installation (self-test)"; Flags: postinstall skipifsilent unchecked
Filename: "{app}\secretdesk.exe"; Description: "Start SecretDesk"; Flags: nowait postinstall skipifsilent
