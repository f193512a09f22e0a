// The `fleettui` executable: everything it does lives in FleetApp (so tests run it in process).
import FleetApp

FleetTUICommand.main()
